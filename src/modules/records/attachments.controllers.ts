import {
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Post,
  Req,
  Res,
  UseFilters,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiExcludeController,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/multipart';
import type { AuthUser } from '../../common/auth/auth-user';
import { CurrentUser } from '../../common/auth/decorators';
import { DomainError } from '../../common/errors';
import type { Attachment } from '../../generated/prisma/client';
import { WebSession } from '../auth/web-session';
import { AttachmentsService, type IncomingFile } from './attachments.service';
import { AttachmentSummaryDto as AttachmentDto } from './dto/record.dto';
import { RecordShowErrorFilter } from './records.page.controller';

export function toAttachmentDto(a: Attachment): AttachmentDto {
  return {
    id: a.id,
    originalName: a.originalName,
    contentType: a.contentType,
    size: Number(a.size),
    checksum: a.checksum,
    createdAt: a.createdAt,
  };
}

/** The single file part of a multipart request, as a stream (never buffered). */
async function incomingFile(req: FastifyRequest): Promise<IncomingFile> {
  const noFile = () =>
    new DomainError('no_file', 'Choose a file to upload.', HttpStatus.BAD_REQUEST, [
      { field: 'file', message: 'Choose a file to upload.' },
    ]);
  if (!req.isMultipart()) throw noFile();
  const part = await req.file();
  if (!part || !part.filename) {
    part?.file.resume();
    throw noFile();
  }
  return { fileName: part.filename, stream: part.file, truncated: () => part.file.truncated };
}

@ApiExcludeController()
@Controller('records/:id/attachments')
export class AttachmentsPageController {
  constructor(
    private readonly attachments: AttachmentsService,
    private readonly session: WebSession,
  ) {}

  @Post()
  @UseFilters(RecordShowErrorFilter)
  async upload(
    @Param('id') id: string,
    @CurrentUser() actor: AuthUser,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    const file = await incomingFile(req);
    const saved = await this.attachments.upload(actor, id, file, req.ip);
    return this.session.redirectWith(req, reply, `/records/${id}`, `Attached ${saved.originalName}.`);
  }

  @Get(':attachmentId')
  async download(
    @Param('id') id: string,
    @Param('attachmentId') attachmentId: string,
    @CurrentUser() viewer: AuthUser,
    @Res() reply: FastifyReply,
  ) {
    const url = await this.attachments.downloadUrl(viewer, id, attachmentId);
    return reply
      .header('Cache-Control', 'no-store')
      .header('Referrer-Policy', 'no-referrer')
      .redirect(url, 302);
  }

  @Post(':attachmentId/delete')
  @UseFilters(RecordShowErrorFilter)
  async remove(
    @Param('id') id: string,
    @Param('attachmentId') attachmentId: string,
    @CurrentUser() actor: AuthUser,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ) {
    await this.attachments.remove(actor, id, attachmentId, req.ip);
    return this.session.redirectWith(req, reply, `/records/${id}`, 'The file was removed.');
  }
}

@ApiTags('records')
@ApiBearerAuth()
@Controller('api/v1/records/:id/attachments')
export class AttachmentsApiController {
  constructor(private readonly attachments: AttachmentsService) {}

  @Post()
  @ApiOperation({
    summary:
      'Attach a file (multipart field `file`) to a draft or rejected record of your own. 413 when too large, 415 when its content is not an allowed type.',
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      properties: { file: { type: 'string', format: 'binary' } },
      required: ['file'],
    },
  })
  @ApiCreatedResponse({ type: AttachmentDto })
  async upload(
    @Param('id') id: string,
    @CurrentUser() actor: AuthUser,
    @Req() req: FastifyRequest,
  ): Promise<AttachmentDto> {
    return toAttachmentDto(await this.attachments.upload(actor, id, await incomingFile(req), req.ip));
  }

  @Get(':attachmentId')
  @ApiOperation({ summary: 'Download: redirects (302) to a presigned URL valid for 5 minutes.' })
  async download(
    @Param('id') id: string,
    @Param('attachmentId') attachmentId: string,
    @CurrentUser() viewer: AuthUser,
    @Res() reply: FastifyReply,
  ) {
    const url = await this.attachments.downloadUrl(viewer, id, attachmentId);
    return reply.header('Cache-Control', 'no-store').redirect(url, 302);
  }

  @Delete(':attachmentId')
  @HttpCode(204)
  async remove(
    @Param('id') id: string,
    @Param('attachmentId') attachmentId: string,
    @CurrentUser() actor: AuthUser,
    @Req() req: FastifyRequest,
  ): Promise<void> {
    await this.attachments.remove(actor, id, attachmentId, req.ip);
  }
}
