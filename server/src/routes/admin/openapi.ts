// The admin API's part of the OpenAPI document (paths, schemas, the cookie security scheme), for
// server/src/openapi/document.ts to merge: `paths: { ...paths, ...adminOpenApi.paths }`, tags and components likewise.
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const str = { type: 'string' } as const;
const role = { type: 'string', enum: ['OWNER', 'ADMINISTRATOR', 'USER'] } as const;
const obj = (properties: Record<string, unknown>, required: string[] = []) => ({
  type: 'object',
  properties,
  required,
});
const jsonBody = (schema: unknown) => ({ required: true, content: { 'application/json': { schema } } });
const ok = (status: string, schema?: unknown, description = 'OK') => ({
  [status]: schema ? { description, content: { 'application/json': { schema } } } : { description },
});
const error = (description: string) => ({
  description,
  content: { 'application/json': { schema: ref('AdminError') } },
});
const errors = {
  '400': error('Invalid input (26), bad or expired link (106), e-mail not configured (107)'),
  '401': error('Not logged in (101)'),
  '403': error('Role does not allow it, or the x-requested-with header is missing (102)'),
  '404': error('Not found or not visible to the caller (103)'),
  '409': error('Conflict (104)'),
};

interface Op {
  summary: string;
  tag?: string;
  body?: unknown;
  res: Record<string, unknown>;
  public?: boolean;
  query?: string[];
}
const op = (o: Op) => ({
  tags: [o.tag ?? 'Admin'],
  summary: o.summary,
  ...(o.public ? { security: [] } : { security: [{ session: [] }] }),
  parameters: [
    {
      name: 'x-requested-with',
      in: 'header',
      required: false,
      schema: str,
      description: 'Required on POST, PUT and DELETE (CSRF guard); any value.',
    },
    ...(o.query ?? []).map((name) => ({ name, in: 'query', required: false, schema: { type: 'integer' } })),
  ],
  ...(o.body ? { requestBody: jsonBody(o.body) } : {}),
  responses: { ...o.res, ...errors },
});

const credentials = obj({ email: str, password: str }, ['email', 'password']);
const userList = obj({ users: { type: 'array', items: ref('AdminUser') } });

export const adminOpenApi = {
  tags: [{ name: 'Account' }, { name: 'Users' }, { name: 'Applications' }, { name: 'Face services' }],
  paths: {
    '/admin/settings': {
      get: op({
        tag: 'Account',
        summary: 'Whether e-mail and sign-up are enabled',
        public: true,
        res: ok('200', obj({ email_enabled: { type: 'boolean' }, signup_enabled: { type: 'boolean' } })),
      }),
    },
    '/admin/signup': {
      post: op({
        tag: 'Account',
        summary: 'Sign up (the first user becomes the global owner)',
        public: true,
        body: obj({ email: str, password: str, first_name: str, last_name: str }, ['email', 'password']),
        res: ok(
          '201',
          obj({ user: ref('AdminUser'), confirmation_required: { type: 'boolean' } }),
          'Created; logged in unless confirmation_required',
        ),
      }),
    },
    '/admin/login': {
      post: op({
        tag: 'Account',
        summary:
          'Log in: sets the session cookie and a signed device cookie (visor_device) that exempts this browser from the per-account lockout',
        public: true,
        body: credentials,
        res: {
          ...ok('200', obj({ user: ref('AdminUser') })),
          '429': error(
            'Too many failed log-ins for the account or address, or for this device when it sends a valid visor_device cookie (105); see Retry-After',
          ),
        },
      }),
    },
    '/admin/logout': { post: op({ tag: 'Account', summary: 'Log out', res: ok('204') }) },
    '/admin/me': {
      get: op({ tag: 'Account', summary: 'The logged-in user', res: ok('200', ref('AdminUser')) }),
      put: op({
        tag: 'Account',
        summary: 'Change your name',
        body: obj({ first_name: str, last_name: str }),
        res: ok('200', ref('AdminUser')),
      }),
    },
    '/admin/me/password': {
      put: op({
        tag: 'Account',
        summary: 'Change password (ends other sessions)',
        body: obj({ old_password: str, new_password: str }, ['old_password', 'new_password']),
        res: ok('204'),
      }),
    },
    '/admin/confirm-email': {
      post: op({
        tag: 'Account',
        summary: 'Confirm the e-mail address (link valid 1 h)',
        public: true,
        body: obj({ token: str }, ['token']),
        res: ok('204'),
      }),
    },
    '/admin/confirm-email/resend': {
      post: op({
        tag: 'Account',
        summary: 'Send a new confirmation link',
        public: true,
        body: obj({ email: str }, ['email']),
        res: ok('202'),
      }),
    },
    '/admin/password-reset': {
      post: op({
        tag: 'Account',
        summary: 'E-mail a password-reset link (valid 15 min)',
        public: true,
        body: obj({ email: str }, ['email']),
        res: ok('202'),
      }),
    },
    '/admin/password-reset/confirm': {
      post: op({
        tag: 'Account',
        summary: 'Set a new password from a reset link',
        public: true,
        body: obj({ token: str, password: str }, ['token', 'password']),
        res: ok('204'),
      }),
    },
    '/admin/users': {
      get: op({ tag: 'Users', summary: 'List users (global owner/administrator)', res: ok('200', userList) }),
      post: op({
        tag: 'Users',
        summary: 'Create a user; the password is generated when absent',
        body: obj({ email: str, password: str, first_name: str, last_name: str, role }, ['email']),
        res: ok('201', obj({ user: ref('AdminUser'), password: str })),
      }),
    },
    '/admin/users/{id}/role': {
      put: op({
        tag: 'Users',
        summary: 'Change a global role (OWNER hands ownership over)',
        body: obj({ role }, ['role']),
        res: ok('200', ref('AdminUser')),
      }),
    },
    '/admin/users/{id}/password': {
      post: op({
        tag: 'Users',
        summary: "Reset another user's password without e-mail",
        body: obj({ password: str }),
        res: ok('200', obj({ password: str })),
      }),
    },
    '/admin/users/{id}': { delete: op({ tag: 'Users', summary: 'Delete a user', res: ok('204') }) },
    '/admin/apps': {
      get: op({
        tag: 'Applications',
        summary: 'Applications the caller sees, with their role',
        res: ok('200', obj({ applications: { type: 'array', items: ref('AdminApplication') } })),
      }),
      post: op({
        tag: 'Applications',
        summary: 'Create an application (the caller owns it)',
        body: obj({ name: str }, ['name']),
        res: ok('201', ref('AdminApplication')),
      }),
    },
    '/admin/apps/{appId}': {
      get: op({ tag: 'Applications', summary: 'One application', res: ok('200', ref('AdminApplication')) }),
      put: op({
        tag: 'Applications',
        summary: 'Rename (owner, administrator)',
        body: obj({ name: str }, ['name']),
        res: ok('200', ref('AdminApplication')),
      }),
      delete: op({
        tag: 'Applications',
        summary: 'Delete with its services and collections (owner)',
        res: ok('204'),
      }),
    },
    '/admin/apps/{appId}/members': {
      get: op({
        tag: 'Applications',
        summary: 'Members',
        res: ok('200', obj({ members: { type: 'array', items: ref('AdminMember') } })),
      }),
      post: op({
        tag: 'Applications',
        summary: 'Invite an existing user by e-mail (owner, administrator)',
        body: obj({ email: str, role: { type: 'string', enum: ['ADMINISTRATOR', 'USER'] } }, ['email']),
        res: ok('201', ref('AdminMember')),
      }),
    },
    '/admin/apps/{appId}/members/{userId}': {
      put: op({
        tag: 'Applications',
        summary: "Change a member's role (OWNER: hand over, owner only)",
        body: obj({ role }, ['role']),
        res: ok('204'),
      }),
      delete: op({ tag: 'Applications', summary: 'Remove a member, or leave', res: ok('204') }),
    },
    '/admin/embedders': {
      get: op({
        tag: 'Face services',
        summary: 'The embedders a face service may choose (built-in and your own models)',
        res: ok(
          '200',
          obj({
            embedders: {
              type: 'array',
              items: obj({
                id: str,
                version: str,
                dims: { type: 'integer' },
                description: str,
                default: { type: 'boolean' },
              }),
            },
          }),
        ),
      }),
    },
    '/admin/apps/{appId}/services': {
      get: op({
        tag: 'Face services',
        summary: 'Face services with API keys and collection sizes',
        res: ok('200', obj({ services: { type: 'array', items: ref('AdminFaceService') } })),
      }),
      post: op({
        tag: 'Face services',
        summary: 'Create (owner, administrator)',
        body: obj(
          {
            name: str,
            type: { type: 'string', enum: ['RECOGNITION', 'DETECTION', 'VERIFICATION'] },
            min_similarity: { type: ['number', 'null'] },
            embedder: {
              type: 'string',
              description: 'an id from GET /admin/embedders (default: the default embedder)',
            },
          },
          ['name', 'type'],
        ),
        res: ok('201', ref('AdminFaceService')),
      }),
    },
    '/admin/apps/{appId}/services/{serviceId}': {
      get: op({ tag: 'Face services', summary: 'One face service', res: ok('200', ref('AdminFaceService')) }),
      put: op({
        tag: 'Face services',
        summary: 'Rename / set min_similarity',
        body: obj({ name: str, min_similarity: { type: ['number', 'null'] } }),
        res: ok('200', ref('AdminFaceService')),
      }),
      delete: op({ tag: 'Face services', summary: 'Delete with its collection', res: ok('204') }),
    },
    '/admin/apps/{appId}/services/{serviceId}/embedder': {
      get: op({
        tag: 'Face services',
        summary: "The service's embedder and its latest re-embedding job",
        res: ok('200', obj({ embedder: str, job: ref('EmbedderJob') })),
      }),
      put: op({
        tag: 'Face services',
        summary: 'Change the embedder: re-embeds the collection in the background (owner, administrator)',
        body: obj({ embedder: str }, ['embedder']),
        res: ok('202', obj({ embedder: str, job: ref('EmbedderJob') })),
      }),
    },
    '/admin/apps/{appId}/services/{serviceId}/clone': {
      post: op({
        tag: 'Face services',
        summary: 'Clone with a copy of the collection',
        body: obj({ name: str }),
        res: ok('201', ref('AdminFaceService')),
      }),
    },
    '/admin/apps/{appId}/services/{serviceId}/key': {
      post: op({
        tag: 'Face services',
        summary: 'New API key (the old one stops working at once)',
        res: ok('200', obj({ api_key: str })),
      }),
    },
    '/admin/apps/{appId}/services/{serviceId}/stats': {
      get: op({
        tag: 'Face services',
        summary: 'Requests per day and collection size',
        query: ['days'],
        res: ok(
          '200',
          obj({
            subjects: { type: 'integer' },
            images: { type: 'integer' },
            requests: {
              type: 'array',
              items: obj({ day: { type: 'string', format: 'date' }, count: { type: 'integer' } }),
            },
          }),
        ),
      }),
    },
  },
  components: {
    securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'visor_session' } },
    schemas: {
      AdminError: obj({ message: str, code: { type: 'integer' } }, ['message', 'code']),
      AdminUser: obj({
        id: str,
        email: str,
        first_name: str,
        last_name: str,
        role,
        email_confirmed: { type: 'boolean' },
        created_at: { type: 'string', format: 'date-time' },
      }),
      AdminApplication: obj({
        id: str,
        name: str,
        role,
        created_at: { type: 'string', format: 'date-time' },
      }),
      AdminMember: obj({ user_id: str, email: str, first_name: str, last_name: str, role }),
      EmbedderJob: {
        type: ['object', 'null'],
        description: 'The latest re-embedding job (null when none ran): progress in total/done/failed',
        additionalProperties: true,
      },
      AdminFaceService: obj({
        id: str,
        application_id: str,
        name: str,
        type: { type: 'string', enum: ['RECOGNITION', 'DETECTION', 'VERIFICATION'] },
        api_key: { type: 'string', format: 'uuid' },
        embedder: { type: 'string', description: 'the embedder its collection uses (GET /admin/embedders)' },
        min_similarity: { type: ['number', 'null'] },
        subjects: { type: 'integer' },
        images: { type: 'integer' },
        created_at: { type: 'string', format: 'date-time' },
      }),
    },
  },
};
