import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { AttachmentsApiController, AttachmentsPageController } from './attachments.controllers';
import { AttachmentsService } from './attachments.service';
import { DashboardService } from './dashboard.service';
import { OrphanSweeper } from './orphan-sweeper';
import { RECORDS_QUEUE, SubmissionDigest, SubmissionDigestProcessor } from './submission-digest';
import { RecordsApiController } from './records.api.controller';
import { RecordsPageController } from './records.page.controller';
import { RecordsRepository } from './records.repository';
import { RecordsService } from './records.service';

@Module({
  imports: [AuthModule, BullModule.registerQueue({ name: RECORDS_QUEUE })],
  controllers: [
    RecordsPageController,
    RecordsApiController,
    AttachmentsPageController,
    AttachmentsApiController,
  ],
  providers: [
    RecordsService,
    RecordsRepository,
    DashboardService,
    AttachmentsService,
    OrphanSweeper,
    SubmissionDigest,
    SubmissionDigestProcessor,
  ],
  exports: [RecordsService],
})
export class RecordsModule {}
