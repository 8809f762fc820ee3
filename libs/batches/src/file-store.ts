import { jetstream, jetstreamManager, StorageType } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { Objm, type ObjectInfo, type ObjectStore } from '@nats-io/obj';
import { filesBucketName } from '@switchyard/contracts';
import { bucketApiOptions, type BucketSettings } from './bucket-settings';
import { FilePurposes, newFileId, type FileObject, type FilePurpose } from './file-object';
import { byteCounter, FileTooLargeError } from './byte-counter';

/** What {@link FileStore.put} stores. */
export interface NewFile {
  /**
   * The file's id; storing again under it replaces the file (a batch's output files, written
   * again when finalizing is resumed). @defaultValue a new id
   */
  id?: string;
  filename: string;
  /** Absent while an upload does not know it yet (see {@link FileStore.setPurpose}). */
  purpose?: FilePurpose;
  data: ReadableStream<Uint8Array>;
  /** More bytes than this is a FileTooLargeError, and nothing stays stored. */
  maxBytes?: number;
}

/** A stored file and what was counted while it was stored. */
export interface StoredFile {
  id: string;
  bytes: number;
  /** Lines (newline-ended, and a last line without one). */
  lines: number;
}

/** Options of {@link FileStore.list}, as OpenAI's `GET /v1/files` takes them. */
export interface ListFilesOptions {
  purpose?: FilePurpose;
  /** A file id: list the files after it in this order. */
  after?: string;
  /** @defaultValue 10000 */
  limit?: number;
  /** By creation time. @defaultValue 'desc' */
  order?: 'asc' | 'desc';
}

/** One page of files. */
export interface FilePage {
  data: FileObject[];
  hasMore: boolean;
}

const objectName = (tenant: string, id: string) => `${tenant}/${id}`;

function fileObjectOf(id: string, info: ObjectInfo): FileObject | null {
  const meta = info.metadata ?? {};
  const purpose = meta['purpose'] as FilePurpose | undefined;
  if (info.deleted || purpose === undefined || !FilePurposes.includes(purpose)) return null;
  return {
    id,
    object: 'file',
    bytes: info.size,
    created_at: Math.floor(Number(meta['created_ms'] ?? 0) / 1000),
    filename: meta['filename'] ?? id,
    purpose,
    status: 'processed',
    expires_at: null,
    status_details: null,
  };
}

/**
 * The Files API's files in a JetStream object store (`filesBucketName(streamPrefix)`, replicas
 * and storage like the streams). Each file is the object `<tenant>/<file id>`, so every lookup
 * is scoped to its tenant: another tenant's file id is not found. A file without a purpose yet
 * (an upload whose `purpose` field comes after its bytes) is not listed or found.
 */
export class FileStore {
  private constructor(private readonly os: ObjectStore) {}

  /** Opens the bucket, creating it when it does not exist (safe from every process at once). */
  static async open(nc: NatsConnection, settings: BucketSettings): Promise<FileStore> {
    const name = filesBucketName(settings.streamPrefix);
    const os = await new Objm(jetstream(nc, bucketApiOptions())).create(name, {
      replicas: settings.replicas,
      storage: settings.storage === 'memory' ? StorageType.Memory : StorageType.File,
      description: 'Switchyard files: batch input, output and error files',
    });
    const jsm = await jetstreamManager(nc, bucketApiOptions());
    const { config } = await jsm.streams.info(`OBJ_${name}`);
    if (config.num_replicas !== settings.replicas) {
      await jsm.streams.update(`OBJ_${name}`, { num_replicas: settings.replicas });
    }
    return new FileStore(os);
  }

  /**
   * Stores a new file of `tenant` under a new id, counting its bytes and lines as they stream
   * in. Rejects with a FileTooLargeError past `maxBytes` (what was stored is removed), or with
   * the stream's own error.
   */
  async put(tenant: string, file: NewFile): Promise<StoredFile> {
    const id = file.id ?? newFileId();
    const counter = byteCounter(file.maxBytes);
    const metadata: Record<string, string> = {
      filename: file.filename,
      created_ms: String(Date.now()),
      ...(file.purpose === undefined ? {} : { purpose: file.purpose }),
    };
    try {
      await this.os.put(
        { name: objectName(tenant, id), metadata },
        file.data.pipeThrough(counter.transform),
      );
    } catch (error) {
      if (counter.tooLarge) throw new FileTooLargeError(file.maxBytes ?? 0);
      throw error;
    }
    return { id, bytes: counter.bytes, lines: counter.lines };
  }

  /** Gives a file stored without a purpose its purpose; it is listed and found from then on. */
  async setPurpose(tenant: string, id: string, purpose: FilePurpose): Promise<void> {
    const name = objectName(tenant, id);
    const info = await this.os.info(name);
    if (info === null) throw new Error(`file ${id} is not stored`);
    await this.os.update(name, { name, metadata: { ...info.metadata, purpose } });
  }

  /** A file of `tenant`, or null (none, deleted, another tenant's, or without a purpose). */
  async get(tenant: string, id: string): Promise<FileObject | null> {
    const info = await this.os.info(objectName(tenant, id));
    return info === null ? null : fileObjectOf(id, info);
  }

  /** A file's bytes as a stream, or null when {@link get} finds no such file. */
  async content(tenant: string, id: string): Promise<ReadableStream<Uint8Array> | null> {
    if ((await this.get(tenant, id)) === null) return null;
    const result = await this.os.get(objectName(tenant, id));
    return result === null ? null : result.data;
  }

  /** A file's whole text, or null when {@link get} finds no such file. */
  async text(tenant: string, id: string): Promise<string | null> {
    if ((await this.get(tenant, id)) === null) return null;
    const bytes = await this.os.getBlob(objectName(tenant, id));
    return bytes === null ? null : new TextDecoder().decode(bytes);
  }

  /** The files of `tenant`, newest first unless `order: 'asc'`. */
  async list(tenant: string, options: ListFilesOptions = {}): Promise<FilePage> {
    const prefix = `${tenant}/`;
    const files = (await this.os.list())
      .filter((info) => info.name.startsWith(prefix))
      .map((info) => fileObjectOf(info.name.slice(prefix.length), info))
      .filter((file): file is FileObject => file !== null)
      .filter((file) => options.purpose === undefined || file.purpose === options.purpose)
      .sort((a, b) => a.created_at - b.created_at || a.id.localeCompare(b.id));
    if ((options.order ?? 'desc') === 'desc') files.reverse();
    const start =
      options.after === undefined ? 0 : files.findIndex((file) => file.id === options.after) + 1;
    const limit = options.limit ?? 10_000;
    const data = files.slice(start, start + limit);
    return { data, hasMore: start + limit < files.length };
  }

  /**
   * Removes a file stored by {@link put}, with or without a purpose: an upload refused after
   * its bytes were stored. Unlike {@link delete}, it finds files not listed yet.
   */
  async discard(tenant: string, id: string): Promise<void> {
    if ((await this.os.info(objectName(tenant, id))) !== null) {
      await this.os.delete(objectName(tenant, id));
    }
  }

  /** Deletes a file of `tenant`; false when there was no such file. */
  async delete(tenant: string, id: string): Promise<boolean> {
    if ((await this.get(tenant, id)) === null) return false;
    await this.os.delete(objectName(tenant, id));
    return true;
  }
}
