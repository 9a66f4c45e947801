// Contracts of /admin/users: user management by global owners and administrators.
import { AdminUser, CreatedUser, NewPassword, UserList } from '../../../../shared/api/admin.js';
import { jsonOk } from '../common.js';
import {
  adminRoute,
  done,
  email,
  generatedPassword,
  objectBody,
  optionalObjectBody,
  maybeString,
  memberRole,
  personName,
  role,
  userParams,
} from './common.js';

const tags = ['Users'];

export const listUsers = adminRoute({
  method: 'get',
  path: '/',
  tags,
  summary: 'List users (global owner/administrator)',
  responses: { 200: jsonOk(UserList) },
});

/** The fields in the order they were always checked: role, password, e-mail, names. */
export const createUser = adminRoute({
  method: 'post',
  path: '/',
  tags,
  summary: 'Create a user; the password is generated when absent',
  request: {
    body: objectBody(
      {
        role: memberRole,
        password: generatedPassword(),
        email,
        first_name: personName('first_name'),
        last_name: personName('last_name'),
      },
      ['email'],
    ),
  },
  responses: { 201: jsonOk(CreatedUser, 'Created') },
});

export const setUserRole = adminRoute({
  method: 'put',
  path: '/{id}/role',
  tags,
  summary: 'Change a global role (OWNER hands ownership over)',
  request: { params: userParams, body: objectBody({ role }, ['role']) },
  responses: { 200: jsonOk(AdminUser) },
});

export const resetUserPassword = adminRoute({
  method: 'post',
  path: '/{id}/password',
  tags,
  summary: "Reset another user's password without e-mail",
  request: { params: userParams, body: optionalObjectBody({ password: generatedPassword(true) }) },
  responses: { 200: jsonOk(NewPassword) },
});

export const deleteUser = adminRoute({
  method: 'delete',
  path: '/{id}',
  tags,
  summary: 'Delete a user, or your own account (then with your current password)',
  request: {
    params: userParams,
    body: optionalObjectBody({
      password: maybeString.meta({ description: 'Your current password, when deleting yourself.' }),
    }),
  },
  responses: { 204: done('Deleted') },
});
