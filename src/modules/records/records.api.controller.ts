import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { AuthUser } from '../../common/auth/auth-user';
import { CurrentUser } from '../../common/auth/decorators';
import { CreateRecordDto, RecordDto, RecordListQueryDto, ReviewDto, UpdateRecordDto } from './dto/record.dto';
import { toRecordDto } from './record-view';
import { RecordsService } from './records.service';

class RecordPageDto {
  @ApiProperty({ type: [RecordDto] }) items: RecordDto[];
  @ApiProperty() total: number;
  @ApiProperty() page: number;
  @ApiProperty() pageSize: number;
}

@ApiTags('records')
@ApiBearerAuth()
@Controller('api/v1/records')
export class RecordsApiController {
  constructor(private readonly records: RecordsService) {}

  @Get()
  @ApiOperation({ summary: 'Records the caller may see (staff: their own), filtered, sorted and paged.' })
  @ApiOkResponse({ type: RecordPageDto })
  async list(@Query() query: RecordListQueryDto, @CurrentUser() viewer: AuthUser): Promise<RecordPageDto> {
    const r = await this.records.list(query, viewer);
    return { items: r.items.map(toRecordDto), total: r.total, page: r.page, pageSize: r.pageSize };
  }

  @Post()
  @ApiCreatedResponse({ type: RecordDto })
  async create(
    @Body() body: CreateRecordDto,
    @CurrentUser() actor: AuthUser,
    @Req() req: FastifyRequest,
  ): Promise<RecordDto> {
    return toRecordDto(await this.records.create(actor, body, req.ip));
  }

  @Get(':id')
  @ApiOkResponse({ type: RecordDto })
  async get(@Param('id') id: string, @CurrentUser() viewer: AuthUser): Promise<RecordDto> {
    return toRecordDto(await this.records.get(id, viewer));
  }

  @Patch(':id')
  @ApiOperation({
    summary:
      'Edit a draft or rejected record of your own. `version` must be the one you read (409 otherwise).',
  })
  @ApiOkResponse({ type: RecordDto })
  async update(
    @Param('id') id: string,
    @Body() body: UpdateRecordDto,
    @CurrentUser() actor: AuthUser,
    @Req() req: FastifyRequest,
  ): Promise<RecordDto> {
    return toRecordDto(await this.records.update(actor, id, body, req.ip));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a draft of your own. Nothing else is ever deleted.' })
  async remove(
    @Param('id') id: string,
    @CurrentUser() actor: AuthUser,
    @Req() req: FastifyRequest,
  ): Promise<void> {
    await this.records.deleteDraft(actor, id, req.ip);
  }

  @Post(':id/submit')
  @HttpCode(200)
  @ApiOkResponse({ type: RecordDto })
  async submit(
    @Param('id') id: string,
    @Body() body: ReviewDto,
    @CurrentUser() actor: AuthUser,
    @Req() req: FastifyRequest,
  ): Promise<RecordDto> {
    return toRecordDto(await this.records.submit(actor, id, body?.version, req.ip));
  }

  @Post(':id/approve')
  @HttpCode(200)
  @ApiOperation({ summary: 'Management: approve a submitted record (optional comment).' })
  @ApiOkResponse({ type: RecordDto })
  async approve(
    @Param('id') id: string,
    @Body() body: ReviewDto,
    @CurrentUser() actor: AuthUser,
    @Req() req: FastifyRequest,
  ): Promise<RecordDto> {
    return toRecordDto(await this.records.approve(actor, id, body ?? {}, req.ip));
  }

  @Post(':id/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Management: reject a submitted record; `comment` is required.' })
  @ApiOkResponse({ type: RecordDto })
  async reject(
    @Param('id') id: string,
    @Body() body: ReviewDto,
    @CurrentUser() actor: AuthUser,
    @Req() req: FastifyRequest,
  ): Promise<RecordDto> {
    return toRecordDto(await this.records.reject(actor, id, body ?? {}, req.ip));
  }
}
