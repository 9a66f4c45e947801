// Contracts of /admin/apps/{appId}/services: face services of an application, their API keys, embedders and
// statistics, and the embedders a service may choose (/admin/embedders).
import { z } from 'zod';
import {
  AdminService,
  ApiKey,
  EmbedderList,
  ServiceEmbedder,
  ServiceList,
  ServiceStats,
} from '../../../../shared/api/admin.js';
import { checked, givenValue } from '../../http/contract.js';
import { checkName, statsDays } from '../../services/admin/validate.js';
import { jsonOk } from '../common.js';
import {
  adminRoute,
  appParams,
  done,
  objectBody,
  minSimilarity,
  name,
  optionalObjectBody,
  serviceParams,
  type,
} from './common.js';

const tags = ['Face services'];

/** An embedder id, checked against the embedders this server offers (the face services' chooseEmbedder). */
const embedder = checked((v) => v).meta({
  type: 'string',
  description: 'An id from GET /admin/embedders (default: the default embedder).',
});

export const listEmbedders = adminRoute({
  method: 'get',
  path: '/',
  tags,
  summary: 'The embedders a face service may choose (built-in and your own models)',
  responses: { 200: jsonOk(EmbedderList) },
});

export const listServices = adminRoute({
  method: 'get',
  path: '/{appId}/services',
  tags,
  summary: 'Face services with API keys and collection sizes',
  request: { params: appParams },
  responses: { 200: jsonOk(ServiceList) },
});

/** The fields in the order they were always checked: type, name, min_similarity. */
export const createService = adminRoute({
  method: 'post',
  path: '/{appId}/services',
  tags,
  summary: 'Create (owner, administrator)',
  request: {
    params: appParams,
    body: objectBody({ type, name, min_similarity: minSimilarity, embedder }, ['name', 'type']),
  },
  responses: { 201: jsonOk(AdminService, 'Created') },
});

export const getService = adminRoute({
  method: 'get',
  path: '/{appId}/services/{serviceId}',
  tags,
  summary: 'One face service',
  request: { params: serviceParams },
  responses: { 200: jsonOk(AdminService) },
});

/** An absent field stays as it is. */
const optionalName = checked((v) => (v === undefined ? undefined : checkName(v, 'name'))).meta({
  type: 'string',
  minLength: 1,
  maxLength: 100,
});

export const updateService = adminRoute({
  method: 'put',
  path: '/{appId}/services/{serviceId}',
  tags,
  summary: 'Rename / set min_similarity',
  request: { params: serviceParams, body: objectBody({ name: optionalName, min_similarity: minSimilarity }) },
  responses: { 200: jsonOk(AdminService) },
});

export const deleteService = adminRoute({
  method: 'delete',
  path: '/{appId}/services/{serviceId}',
  tags,
  summary: 'Delete with its collection',
  request: { params: serviceParams },
  responses: { 204: done('Deleted') },
});

/** Absent or empty: "<name> (copy)". */
const cloneName = checked((v) => (v === undefined || v === '' ? undefined : checkName(v, 'name'))).meta({
  type: 'string',
  minLength: 1,
  maxLength: 100,
  description: 'Absent or empty: the original name with " (copy)".',
});

export const cloneService = adminRoute({
  method: 'post',
  path: '/{appId}/services/{serviceId}/clone',
  tags,
  summary: 'Clone with a copy of the collection',
  request: { params: serviceParams, body: optionalObjectBody({ name: cloneName }) },
  responses: { 201: jsonOk(AdminService, 'Created') },
});

export const newKey = adminRoute({
  method: 'post',
  path: '/{appId}/services/{serviceId}/key',
  tags,
  summary: 'New API key (the old one stops working at once)',
  request: { params: serviceParams },
  responses: { 200: jsonOk(ApiKey) },
});

export const serviceStats = adminRoute({
  method: 'get',
  path: '/{appId}/services/{serviceId}/stats',
  tags,
  summary: 'Requests per day and collection size',
  request: {
    params: serviceParams,
    query: z.object({
      days: checked((v) => statsDays(givenValue(v))).meta({
        type: 'integer',
        minimum: 1,
        maximum: 366,
        default: 30,
      }),
    }),
  },
  responses: { 200: jsonOk(ServiceStats) },
});

export const getServiceEmbedder = adminRoute({
  method: 'get',
  path: '/{appId}/services/{serviceId}/embedder',
  tags,
  summary: "The service's embedder and its latest re-embedding job",
  request: { params: serviceParams },
  responses: { 200: jsonOk(ServiceEmbedder) },
});

export const changeServiceEmbedder = adminRoute({
  method: 'put',
  path: '/{appId}/services/{serviceId}/embedder',
  tags,
  summary: 'Change the embedder: re-embeds the collection in the background (owner, administrator)',
  request: { params: serviceParams, body: objectBody({ embedder }, ['embedder']) },
  responses: { 202: jsonOk(ServiceEmbedder, 'Accepted: the job re-embedding the collection') },
});
