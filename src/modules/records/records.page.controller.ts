import {
  Body,
  Catch,
  Controller,
  Get,
  Injectable,
  Param,
  Post,
  Query,
  Render,
  Req,
  Res,
  UseFilters,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import type { AuthUser } from '../../common/auth/auth-user';
import { CurrentUser } from '../../common/auth/decorators';
import { DomainError } from '../../common/errors';
import { FormErrorFilter } from '../../common/http/form-error.filter';
import { AppConfig } from '../../config';
import { WebSession } from '../auth/web-session';
import { csvRow } from './csv';
import { DashboardService } from './dashboard.service';
import { CreateRecordDto, RecordListQueryDto, ReviewDto, UpdateRecordDto } from './dto/record.dto';
import { recordView, STATUS_LABEL } from './record-view';
import { RecordsRepository } from './records.repository';
import { RecordsService } from './records.service';
import { isoDay } from '../../common/dates';

const DEFAULT_CATEGORIES = [
  'Administration',
  'Customer support',
  'Development',
  'Meetings',
  'Planning',
  'Training',
];
const idOf = (req: FastifyRequest): string => (req.params as { id?: string }).id ?? '';

async function categoryChoices(records: RecordsService): Promise<string[]> {
  return [...new Set([...DEFAULT_CATEGORIES, ...(await records.categories())])].sort();
}

/** A refused action re-renders the record with the message, with the error's 4xx status. */
@Catch(DomainError)
@Injectable()
export class RecordShowErrorFilter extends FormErrorFilter {
  constructor(records: RecordsService, config: AppConfig) {
    super('pages/records/show', async (req) => {
      const viewer = req.user as AuthUser;
      const record = await records.get(idOf(req), viewer);
      return {
        title: record.title,
        record: recordView(record, viewer),
        maxUploadMb: config.tuning.maxUploadMb,
      };
    });
  }
}

@Catch(DomainError)
@Injectable()
export class RecordEditErrorFilter extends FormErrorFilter {
  constructor(records: RecordsService) {
    super('pages/records/form', async (req) => {
      const viewer = req.user as AuthUser;
      const record = await records.get(idOf(req), viewer);
      return {
        title: `Edit ${record.title}`,
        record: recordView(record, viewer),
        action: `/records/${record.id}/edit`,
        categories: await categoryChoices(records),
      };
    });
  }
}

@Catch(DomainError)
@Injectable()
export class RecordNewErrorFilter extends FormErrorFilter {
  constructor(records: RecordsService) {
    super('pages/records/form', async () => ({
      title: 'New record',
      action: '/records/new',
      categories: await categoryChoices(records),
    }));
  }
}

const CSV_HEADER = [
  'id',
  'work_date',
  'title',
  'category',
  'hours',
  'status',
  'author',
  'author_email',
  'submitted_at',
  'reviewed_at',
  'review_comment',
  'description',
];

@ApiExcludeController()
@Controller()
export class RecordsPageController {
  constructor(
    private readonly records: RecordsService,
    private readonly repository: RecordsRepository,
    private readonly dashboard: DashboardService,
    private readonly session: WebSession,
    private readonly config: AppConfig,
  ) {}

  @Get('dashboard')
  @Render('pages/records/dashboard')
  async dashboardPage(@CurrentUser() viewer: AuthUser) {
    const figures = await this.dashboard.figures(viewer);
    const label = (f: { status: string }) => STATUS_LABEL[f.status];
    return {
      title: 'Dashboard',
      figures: {
        ...figures,
        week: { ...figures.week, figures: figures.week.figures.map((f) => ({ ...f, label: label(f) })) },
        month: { ...figures.month, figures: figures.month.figures.map((f) => ({ ...f, label: label(f) })) },
      },
    };
  }

  @Get('records')
  @Render('pages/records/index')
  async list(
    @Query() query: RecordListQueryDto,
    @CurrentUser() viewer: AuthUser,
    @Req() req: FastifyRequest,
  ) {
    const result = await this.records.list(query, viewer);
    const pages = Math.max(1, Math.ceil(result.total / result.pageSize));
    const search = new URLSearchParams(req.url.split('?')[1] ?? '');
    const link = (changes: Record<string, string>) => {
      const next = new URLSearchParams(search);
      for (const [k, v] of Object.entries(changes)) next.set(k, v);
      return `/records?${next.toString()}`;
    };
    const sortLink = (field: string) =>
      link({
        sort: field,
        order: query.sort === field && (query.order ?? 'desc') === 'desc' ? 'asc' : 'desc',
        page: '1',
      });
    search.delete('page');
    return {
      title: 'Records',
      filter: query,
      isManager: viewer.role === 'MANAGEMENT',
      records: result.items.map((r) => recordView(r, viewer)),
      total: result.total,
      page: result.page,
      pages,
      prev: result.page > 1 ? link({ page: String(result.page - 1) }) : null,
      next: result.page < pages ? link({ page: String(result.page + 1) }) : null,
      sortLinks: { workDate: sortLink('workDate'), hours: sortLink('hours'), status: sortLink('status') },
      exportLink: `/records/export.csv?${search.toString()}`,
    };
  }

  /** The filtered list as CSV, streamed in batches from the database (never all in memory). */
  @Get('records/export.csv')
  exportCsv(@Query() query: RecordListQueryDto, @CurrentUser() viewer: AuthUser, @Res() reply: FastifyReply) {
    const batches = this.repository.batches(query, viewer);
    async function* lines() {
      yield '\uFEFF' + csvRow(CSV_HEADER); // BOM: spreadsheets then read the file as UTF-8
      for await (const batch of batches) {
        yield batch
          .map((r) =>
            csvRow([
              r.id,
              isoDay(r.workDate),
              r.title,
              r.category,
              Number(r.hours),
              r.status,
              r.author.name,
              r.author.email,
              r.submittedAt,
              r.reviewedAt,
              r.reviewComment,
              r.description,
            ]),
          )
          .join('');
      }
    }
    const day = isoDay(new Date());
    return reply
      .header('Content-Type', 'text/csv; charset=utf-8')
      .header('Content-Disposition', `attachment; filename="wma-records-${day}.csv"`)
      .header('Cache-Control', 'no-store')
      .send(Readable.from(lines()));
  }

  @Get('records/new')
  @Render('pages/records/form')
  async newPage() {
    return {
      title: 'New record',
      action: '/records/new',
      values: { workDate: isoDay(new Date()), hours: '1' },
      categories: await categoryChoices(this.records),
    };
  }

  @Post('records/new')
  @UseFilters(RecordNewErrorFilter)
  async create(
    @Body() body: CreateRecordDto,
    @CurrentUser() actor: AuthUser,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const record = await this.records.create(actor, body, req.ip);
    return this.session.redirectWith(
      req,
      reply,
      `/records/${record.id}`,
      'Draft saved. Submit it when it is ready for review.',
    );
  }

  @Get('records/:id')
  @Render('pages/records/show')
  async show(@Param('id') id: string, @CurrentUser() viewer: AuthUser) {
    const record = await this.records.get(id, viewer);
    return {
      title: record.title,
      record: recordView(record, viewer),
      maxUploadMb: this.config.tuning.maxUploadMb,
    };
  }

  @Get('records/:id/edit')
  @Render('pages/records/form')
  async editPage(@Param('id') id: string, @CurrentUser() viewer: AuthUser) {
    const record = await this.records.get(id, viewer);
    const view = recordView(record, viewer);
    return {
      title: `Edit ${record.title}`,
      record: view,
      action: `/records/${id}/edit`,
      values: { ...view, hours: String(view.hours) },
      categories: await categoryChoices(this.records),
    };
  }

  @Post('records/:id/edit')
  @UseFilters(RecordEditErrorFilter)
  async edit(
    @Param('id') id: string,
    @Body() body: UpdateRecordDto,
    @CurrentUser() actor: AuthUser,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    await this.records.update(actor, id, body, req.ip);
    return this.session.redirectWith(req, reply, `/records/${id}`, 'Saved.');
  }

  @Post('records/:id/submit')
  @UseFilters(RecordShowErrorFilter)
  async submit(
    @Param('id') id: string,
    @Body() body: ReviewDto,
    @CurrentUser() actor: AuthUser,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    await this.records.submit(actor, id, body.version, req.ip);
    return this.session.redirectWith(
      req,
      reply,
      `/records/${id}`,
      'Submitted for review. Management has been told.',
    );
  }

  @Post('records/:id/approve')
  @UseFilters(RecordShowErrorFilter)
  async approve(
    @Param('id') id: string,
    @Body() body: ReviewDto,
    @CurrentUser() actor: AuthUser,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    await this.records.approve(actor, id, body, req.ip);
    return this.session.redirectWith(req, reply, `/records/${id}`, 'Approved. The author has been told.');
  }

  @Post('records/:id/reject')
  @UseFilters(RecordShowErrorFilter)
  async reject(
    @Param('id') id: string,
    @Body() body: ReviewDto,
    @CurrentUser() actor: AuthUser,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    await this.records.reject(actor, id, body, req.ip);
    return this.session.redirectWith(
      req,
      reply,
      `/records/${id}`,
      'Rejected. The author has been told, with your comment.',
    );
  }

  @Post('records/:id/delete')
  @UseFilters(RecordShowErrorFilter)
  async remove(
    @Param('id') id: string,
    @CurrentUser() actor: AuthUser,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    await this.records.deleteDraft(actor, id, req.ip);
    return this.session.redirectWith(req, reply, '/records', 'The draft was deleted.');
  }
}
