import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import type { AuthUser } from '../../common/auth/auth-user';
import { CurrentUser, Roles } from '../../common/auth/decorators';
import type { User } from '../../generated/prisma/client';
import { InviteUserDto, UpdateUserDto, UserDto, UserListQueryDto } from './dto/user.dto';
import { UsersService } from './users.service';

export function toUserDto(u: User): UserDto {
  return {
    id: u.id,
    email: u.email,
    name: u.name,
    role: u.role,
    status: u.status,
    lastLoginAt: u.lastLoginAt,
    createdAt: u.createdAt,
  };
}

@ApiTags('users')
@ApiBearerAuth()
@Roles('MANAGEMENT')
@Controller('api/v1/users')
export class UsersApiController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOkResponse({ type: [UserDto] })
  async list(@Query() query: UserListQueryDto): Promise<UserDto[]> {
    return (await this.users.list(query)).map(toUserDto);
  }

  @Post()
  @ApiOperation({ summary: 'Invite a user: creates a pending user and emails a single-use link.' })
  @ApiCreatedResponse({ type: UserDto })
  async invite(
    @Body() body: InviteUserDto,
    @CurrentUser() actor: AuthUser,
    @Req() req: FastifyRequest,
  ): Promise<UserDto> {
    return toUserDto(await this.users.invite(actor, body, req.ip));
  }

  @Get(':id')
  @ApiOkResponse({ type: UserDto })
  async get(@Param('id') id: string): Promise<UserDto> {
    return toUserDto(await this.users.get(id));
  }

  @Patch(':id')
  @ApiOperation({
    summary: 'Change name and role; the email only while the user is pending. Other fields are ignored.',
  })
  @ApiOkResponse({ type: UserDto })
  async update(
    @Param('id') id: string,
    @Body() body: UpdateUserDto,
    @CurrentUser() actor: AuthUser,
    @Req() req: FastifyRequest,
  ): Promise<UserDto> {
    return toUserDto(await this.users.update(actor, id, body, req.ip));
  }

  @Post(':id/deactivate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Deactivate: ends every session and API token of the user at once.' })
  @ApiOkResponse({ type: UserDto })
  async deactivate(
    @Param('id') id: string,
    @CurrentUser() actor: AuthUser,
    @Req() req: FastifyRequest,
  ): Promise<UserDto> {
    return toUserDto(await this.users.deactivate(actor, id, req.ip));
  }

  @Post(':id/reactivate')
  @HttpCode(200)
  @ApiOkResponse({ type: UserDto })
  async reactivate(
    @Param('id') id: string,
    @CurrentUser() actor: AuthUser,
    @Req() req: FastifyRequest,
  ): Promise<UserDto> {
    return toUserDto(await this.users.reactivate(actor, id, req.ip));
  }

  @Post(':id/resend-invite')
  @HttpCode(204)
  @ApiNoContentResponse({ description: 'A new link was sent; the previous one no longer works.' })
  async resend(
    @Param('id') id: string,
    @CurrentUser() actor: AuthUser,
    @Req() req: FastifyRequest,
  ): Promise<void> {
    await this.users.resendInvite(actor, id, req.ip);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Revoke a pending invitation. Active and deactivated users are never deleted (409).',
  })
  async revoke(
    @Param('id') id: string,
    @CurrentUser() actor: AuthUser,
    @Req() req: FastifyRequest,
  ): Promise<void> {
    await this.users.revoke(actor, id, req.ip);
  }
}
