import { Controller, Get, Query, Render } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeController, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../common/auth/decorators';
import { AUDIT_ACTIONS, AuditService } from './audit.service';
import { AuditQueryDto, toAuditFilter } from './dto/audit-query.dto';

@ApiExcludeController()
@Roles('MANAGEMENT')
@Controller('audit')
export class AuditPageController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Render('pages/audit/index')
  async list(@Query() query: AuditQueryDto) {
    const filter = toAuditFilter(query);
    const result = await this.audit.list(filter);
    const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
    const qs = (page: number) =>
      '?' +
      new URLSearchParams(
        Object.entries({ ...query, page: String(page) }).filter(([, v]) => v !== undefined && v !== '') as [
          string,
          string,
        ][],
      ).toString();
    return {
      title: 'Audit trail',
      filter: query,
      actions: AUDIT_ACTIONS,
      total: result.total,
      events: result.items.map((e) => ({
        ...e,
        at: e.at.toISOString().replace('T', ' ').slice(0, 19) + ' UTC',
        summary: JSON.stringify(e.summary),
      })),
      page: result.page,
      pages,
      prev: result.page > 1 ? qs(result.page - 1) : null,
      next: result.page < pages ? qs(result.page + 1) : null,
    };
  }
}

@ApiTags('audit')
@ApiBearerAuth()
@Roles('MANAGEMENT')
@Controller('api/v1/audit')
export class AuditApiController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({ summary: 'The audit trail, newest first, with filters and paging.' })
  list(@Query() query: AuditQueryDto) {
    return this.audit.list(toAuditFilter(query));
  }
}
