// Contracts of the caller's own account under /admin: settings, sign-up, log-in/out, profile, password
// change, e-mail confirmation and password reset.
import { AdminSettings, AdminUser, LoginAnswer, SignUpAnswer } from '../../../../shared/api/admin.js';
import { jsonOk } from '../common.js';
import {
  adminRoute,
  anyString,
  done,
  email,
  objectBody,
  maybeString,
  password,
  personName,
  tooMany,
} from './common.js';

const tags = ['Account'];

export const settings = adminRoute(
  {
    method: 'get',
    path: '/settings',
    tags,
    summary: 'Whether e-mail and sign-up are enabled',
    responses: { 200: jsonOk(AdminSettings) },
  },
  'public',
);

export const signUp = adminRoute(
  {
    method: 'post',
    path: '/signup',
    tags,
    summary: 'Sign up (the first user becomes the global owner)',
    request: {
      body: objectBody(
        { email, password, first_name: personName('first_name'), last_name: personName('last_name') },
        ['email', 'password'],
      ),
    },
    responses: { 201: jsonOk(SignUpAnswer, 'Created; logged in unless confirmation_required') },
  },
  'public',
);

export const login = adminRoute(
  {
    method: 'post',
    path: '/login',
    tags,
    summary:
      'Log in: sets the session cookie and a signed device cookie (visor_device) that exempts this browser from the per-account lockout',
    request: { body: objectBody({ email: anyString, password: anyString }, ['email', 'password']) },
    responses: {
      200: jsonOk(LoginAnswer),
      ...tooMany(
        'Too many failed log-ins for the account or address, or for this device when it sends a valid visor_device cookie',
      ),
    },
  },
  'public',
);

export const logout = adminRoute(
  { method: 'post', path: '/logout', tags, summary: 'Log out', responses: { 204: done('Logged out') } },
  'optional',
);

export const me = adminRoute({
  method: 'get',
  path: '/me',
  tags,
  summary: 'The logged-in user',
  responses: { 200: jsonOk(AdminUser) },
});

export const updateMe = adminRoute({
  method: 'put',
  path: '/me',
  tags,
  summary: 'Change your name',
  request: {
    body: objectBody({ first_name: personName('first_name'), last_name: personName('last_name') }),
  },
  responses: { 200: jsonOk(AdminUser) },
});

export const changePassword = adminRoute({
  method: 'put',
  path: '/me/password',
  tags,
  summary: 'Change password (ends other sessions)',
  request: {
    body: objectBody({ new_password: password, old_password: maybeString }, ['old_password', 'new_password']),
  },
  responses: { 204: done('Changed') },
});

export const confirmEmail = adminRoute(
  {
    method: 'post',
    path: '/confirm-email',
    tags,
    summary: 'Confirm the e-mail address (link valid 1 h)',
    request: { body: objectBody({ token: maybeString }, ['token']) },
    responses: { 204: done('Confirmed') },
  },
  'public',
);

export const resendConfirmation = adminRoute(
  {
    method: 'post',
    path: '/confirm-email/resend',
    tags,
    summary: 'Send a new confirmation link',
    request: { body: objectBody({ email }, ['email']) },
    responses: { 202: done('Sent when the address waits for confirmation') },
  },
  'public',
);

export const requestPasswordReset = adminRoute(
  {
    method: 'post',
    path: '/password-reset',
    tags,
    summary: 'E-mail a password-reset link (valid 15 min)',
    request: { body: objectBody({ email }, ['email']) },
    responses: { 202: done('Sent when the address is known') },
  },
  'public',
);

export const resetPassword = adminRoute(
  {
    method: 'post',
    path: '/password-reset/confirm',
    tags,
    summary: 'Set a new password from a reset link',
    request: { body: objectBody({ password, token: maybeString }, ['token', 'password']) },
    responses: { 204: done('Changed') },
  },
  'public',
);
