import { randomBytes } from 'node:crypto';

/** The purposes a stored file has: uploaded batch input, or a batch's output or error file. */
export const FilePurposes = ['batch', 'batch_output'] as const;
export type FilePurpose = (typeof FilePurposes)[number];

/** A file as OpenAI's Files API shows it. */
export interface FileObject {
  id: string;
  object: 'file';
  bytes: number;
  /** Unix seconds. */
  created_at: number;
  filename: string;
  purpose: FilePurpose;
  status: 'processed';
  expires_at: null;
  status_details: null;
}

/** A new file id: `file-` and 24 random hex digits. */
export function newFileId(): string {
  return `file-${randomBytes(12).toString('hex')}`;
}

/** Whether `id` can be a file id (what lookups accept before touching the store). */
export function isFileId(id: string): boolean {
  return /^file-[A-Za-z0-9_-]{1,64}$/.test(id);
}
