import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { ProfilePageController } from './profile.page.controller';
import { UsersApiController } from './users.api.controller';
import { UsersPageController } from './users.page.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

@Module({
  imports: [AuthModule],
  controllers: [UsersPageController, UsersApiController, ProfilePageController],
  providers: [UsersService, UsersRepository],
  exports: [UsersService],
})
export class UsersModule {}
