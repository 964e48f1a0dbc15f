// The customer import and export calls the console makes: the multipart upload (with an
// Idempotency-Key, so a double click or a retried request imports once), the preview with the
// agent's mapping and mode, start, status, recent imports, removing an upload never started, the
// first lines of the error report, and the download addresses (template, error report, the rows
// to fix, export of the current list).
import type {
  CustomerImport,
  ImportMode,
  ImportOptions,
  ImportPreview,
  ImportRowError,
} from '../../common/customer-import.ts';
import type { Page } from '../../common/paging.ts';
import { ApiError, api, query, toApiError } from './client.ts';
import type { CustomerListParams } from './kunde.ts';

export const importKeys = {
  all: ['customer-imports'] as const,
  list: ['customer-imports', 'list'] as const,
  one: (id: string) => ['customer-imports', 'one', id] as const,
  /** mode null: the stored one (the upload's own preview). */
  preview: (id: string, mapping: (string | null)[] | null, mode: ImportMode | null = null) =>
    ['customer-imports', 'preview', id, mapping, mode] as const,
  errors: (id: string) => ['customer-imports', 'errors', id] as const,
};

const base = '/api/v1/customer-imports';
const segment = encodeURIComponent;

export interface UploadResult {
  preview: ImportPreview;
  /** The server answered an earlier import of the same file or key instead of a new one. */
  replayed: boolean;
}

async function upload(file: File, idempotencyKey: string): Promise<UploadResult> {
  const form = new FormData();
  form.append('file', file, file.name);
  let response: Response;
  try {
    response = await fetch(base, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        Accept: 'application/json, application/problem+json',
        'Idempotency-Key': idempotencyKey,
      },
      body: form,
    });
  } catch {
    throw new ApiError(0, 'network_error', '');
  }
  if (!response.ok) throw await toApiError(response);
  return { preview: (await response.json()) as ImportPreview, replayed: response.status === 200 };
}

/** Splits CSV text into records (RFC 4180 quoting); the last record may be incomplete. */
export function parseCsvRecords(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      record.push(cell);
      cell = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      record.push(cell);
      records.push(record);
      record = [];
      cell = '';
    } else cell += char;
  }
  if (cell !== '' || record.length > 0) records.push([...record, cell]);
  return records;
}

/** The first rows of the error report, read from the stream and then left (it can be long). */
async function firstErrors(id: string, limit: number): Promise<ImportRowError[]> {
  // The machine layout (English names, commas), which this reader parses; the console shows
  // each reason in the agent's language by its code.
  const response = await fetch(
    `${base}/${segment(id)}/errors.csv?headers=machine&delimiter=comma`,
    {
      credentials: 'same-origin',
    },
  );
  if (!response.ok) throw await toApiError(response);
  let text = '';
  if (response.body) {
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += value;
      // Enough complete lines (header + limit + one to be sure the last is whole): stop reading.
      if (text.split('\n').length > limit + 2) {
        await reader.cancel();
        break;
      }
    }
  } else text = await response.text();
  const [, ...rows] = parseCsvRecords(text.replace(/^\uFEFF/, ''));
  return rows
    .filter((cells) => cells.length >= 4)
    .slice(0, limit)
    .map(([row, column, value, reason]) => ({
      row: Number(row),
      column: column ?? '',
      value: value || null,
      reason: reason ?? '',
    }));
}

export const importsApi = {
  templateUrl: `${base}/template.csv`,
  errorsUrl: (id: string) => `${base}/${segment(id)}/errors.csv`,
  fixUrl: (id: string) => `${base}/${segment(id)}/fix.csv`,
  upload,
  list: () => api.get<Page<CustomerImport>>(base),
  get: (id: string) => api.get<CustomerImport>(`${base}/${segment(id)}`),
  preview: (id: string, mapping?: (string | null)[], mode?: ImportMode) =>
    api.post<ImportPreview>(`${base}/${segment(id)}/preview`, {
      ...(mapping ? { mapping } : {}),
      ...(mode ? { mode } : {}),
    }),
  remove: (id: string) => api.delete(`${base}/${segment(id)}`),
  start: (id: string, options: ImportOptions) =>
    api.post<CustomerImport>(`${base}/${segment(id)}/start`, options),
  firstErrors,
};

/** The CSV export of the list the agent is looking at (same search and filters, every page). */
export function customerExportUrl(params: Omit<CustomerListParams, 'cursor' | 'limit'>): string {
  return `/api/v1/customers/export.csv${query({
    status: params.status,
    q: params.q,
    organizationId: params.organizationId,
    typeId: params.typeId,
  })}`;
}

/**
 * The CSV export of the selected customers (POST, the ids in the body), saved as the file the
 * server names; the same layout as the list's export (issue 16).
 */
export async function downloadSelectedCustomers(customerIds: string[]): Promise<void> {
  let response: Response;
  try {
    response = await fetch('/api/v1/customers/export.csv', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'text/csv, application/problem+json' },
      body: JSON.stringify({ customerIds }),
    });
  } catch {
    throw new ApiError(0, 'network_error', '');
  }
  if (!response.ok) throw await toApiError(response);
  const name =
    /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') ?? '')?.[1] ??
    'customers.csv';
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
