// Every background task Kunde runs, in one list. Each task is defined beside its feature (kind,
// payload schema, attempts, backoff, run; see jobs/task.ts); this list hands each one the
// services it needs, and services.ts registers the list on the node's worker.
import nodemailer from 'nodemailer';
import type { CustomerService } from './customers/customer.service.ts';
import type { CustomFieldService } from './custom-fields/custom-field.service.ts';
import type { Db } from './db/connect.ts';
import type { DuplicateBackfill } from './duplicates/duplicate-backfill.ts';
import { duplicateBackfillTask } from './duplicates/duplicate-backfill.task.ts';
import type { ErasureService } from './erasure/erasure.service.ts';
import { customerErasureTask, retentionPurgeTask } from './erasure/erasure.task.ts';
import type { FileStore } from './files/file-store.ts';
import type { ExportService } from './exports/export.service.ts';
import { buildExportTask, expireExportTask } from './exports/export.task.ts';
import { importTask } from './imports/import.task.ts';
import { expireUploadTask } from './imports/import-expiry.task.ts';
import type { EmailIntake } from './intake/email-intake.ts';
import { processEmailTask } from './intake/process-email.task.ts';
import { bindTask, type BoundTask } from './jobs/task.ts';
import { sendEmailTask } from './mail/send-email.task.ts';
import type { DeliveryOptions } from './webhooks/webhook-delivery.ts';
import { webhookDeliveryTask } from './webhooks/webhook.task.ts';

export interface TaskServices {
  db: Db;
  files: FileStore;
  customers: CustomerService;
  customFields: CustomFieldService;
  exports: ExportService;
  emailIntake: EmailIntake;
  erasure: ErasureService;
  /** Duplicate suggestions for customers written before upkeep (issue 15). */
  duplicateBackfill: DuplicateBackfill;
  /** How webhooks are sent; left out, never to private addresses. */
  webhookDelivery?: DeliveryOptions;
  /** Outbound SMTP; without it mail is held in the outbox and no send-email task runs. */
  smtpUrl?: string;
  importBatchSize?: number;
  /** Counts an import's committed rows (the import-rows metric). */
  countImportRows?: (rows: number, dryRun: boolean) => void;
}

export function taskList(s: TaskServices): BoundTask[] {
  const { db } = s;
  return [
    bindTask(importTask, {
      db,
      files: s.files,
      customers: s.customers,
      customFields: s.customFields,
      batchSize: s.importBatchSize,
      countRows: s.countImportRows,
    }),
    bindTask(processEmailTask, { db: db.kysely, intake: s.emailIntake }),
    ...(s.smtpUrl
      ? [
          bindTask(sendEmailTask, {
            db: db.kysely,
            transport: nodemailer.createTransport(s.smtpUrl),
          }),
        ]
      : []),
    bindTask(buildExportTask, { exports: s.exports }),
    bindTask(expireExportTask, { exports: s.exports }),
    bindTask(customerErasureTask, { erasure: s.erasure }),
    bindTask(retentionPurgeTask, { erasure: s.erasure }),
    bindTask(webhookDeliveryTask, {
      db: db.kysely,
      delivery: s.webhookDelivery ?? { allowPrivateAddresses: false },
    }),
    bindTask(expireUploadTask, { db, files: s.files }),
    bindTask(duplicateBackfillTask, { backfill: s.duplicateBackfill }),
  ];
}
