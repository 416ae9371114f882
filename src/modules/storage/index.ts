export { StorageModule } from './storage.module';
export {
  createS3Client,
  ObjectNotFoundError,
  StorageService,
  type PresignOptions,
  type PutStreamOptions,
  type StoredObject,
} from './storage.service';
