import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { DashboardService } from './dashboard.service';
import { RecordsApiController } from './records.api.controller';
import { RecordsPageController } from './records.page.controller';
import { RecordsRepository } from './records.repository';
import { RecordsService } from './records.service';

@Module({
  imports: [AuthModule],
  controllers: [RecordsPageController, RecordsApiController],
  providers: [RecordsService, RecordsRepository, DashboardService],
  exports: [RecordsService],
})
export class RecordsModule {}
