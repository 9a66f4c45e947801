// Contracts of /admin/apps: applications and their members.
import { AdminApp, AdminMember, AppList, MemberList } from '../../../../shared/api/admin.js';
import { jsonOk } from '../common.js';
import {
  adminRoute,
  appParams,
  done,
  email,
  objectBody,
  memberParams,
  memberRole,
  name,
  role,
} from './common.js';

const tags = ['Applications'];

export const listApps = adminRoute({
  method: 'get',
  path: '/',
  tags,
  summary: 'Applications the caller sees, with their role',
  responses: { 200: jsonOk(AppList) },
});

export const createApp = adminRoute({
  method: 'post',
  path: '/',
  tags,
  summary: 'Create an application (the caller owns it)',
  request: { body: objectBody({ name }, ['name']) },
  responses: { 201: jsonOk(AdminApp, 'Created') },
});

export const getApp = adminRoute({
  method: 'get',
  path: '/{appId}',
  tags,
  summary: 'One application',
  request: { params: appParams },
  responses: { 200: jsonOk(AdminApp) },
});

export const renameApp = adminRoute({
  method: 'put',
  path: '/{appId}',
  tags,
  summary: 'Rename (owner, administrator)',
  request: { params: appParams, body: objectBody({ name }, ['name']) },
  responses: { 200: jsonOk(AdminApp) },
});

export const deleteApp = adminRoute({
  method: 'delete',
  path: '/{appId}',
  tags,
  summary: 'Delete with its services and collections (owner)',
  request: { params: appParams },
  responses: { 204: done('Deleted') },
});

export const listMembers = adminRoute({
  method: 'get',
  path: '/{appId}/members',
  tags,
  summary: 'Members',
  request: { params: appParams },
  responses: { 200: jsonOk(MemberList) },
});

/** The fields in the order they were always checked: role, then e-mail. */
export const invite = adminRoute({
  method: 'post',
  path: '/{appId}/members',
  tags,
  summary: 'Invite an existing user by e-mail (owner, administrator)',
  request: { params: appParams, body: objectBody({ role: memberRole, email }, ['email']) },
  responses: { 201: jsonOk(AdminMember, 'Added') },
});

export const setMemberRole = adminRoute({
  method: 'put',
  path: '/{appId}/members/{userId}',
  tags,
  summary: "Change a member's role (OWNER: hand over, owner only)",
  request: { params: memberParams, body: objectBody({ role }, ['role']) },
  responses: { 204: done('Changed') },
});

export const removeMember = adminRoute({
  method: 'delete',
  path: '/{appId}/members/{userId}',
  tags,
  summary: 'Remove a member, or leave',
  request: { params: memberParams },
  responses: { 204: done('Removed') },
});
