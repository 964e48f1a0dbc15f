// Column types that differ between the dialects, for migrations written once for both.
import { PostgresAdapter, type ColumnDataType, type Kysely } from 'kysely';

export interface ColumnTypes {
  postgres: boolean;
  timestamp: ColumnDataType;
  json: ColumnDataType;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the schema as it was
export function columnTypes(db: Kysely<any>): ColumnTypes {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  return {
    postgres,
    timestamp: postgres ? 'timestamptz' : 'text',
    json: postgres ? 'jsonb' : 'text',
  };
}
