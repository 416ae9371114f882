export { DatabaseModule } from './database.module';
export { PrismaService } from './prisma.service';
export { DatabaseHealth, type DatabaseStatus } from './database.health';
export { listMigrationNames, MIGRATIONS_DIR } from './migrations';
