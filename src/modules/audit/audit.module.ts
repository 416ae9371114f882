import { Global, Module } from '@nestjs/common';
import { AuditApiController, AuditPageController } from './audit.controllers';
import { AuditService } from './audit.service';

@Global()
@Module({
  controllers: [AuditPageController, AuditApiController],
  providers: [AuditService],
  exports: [AuditService],
})
export class AuditModule {}
