import { parquetWriteBuffer } from 'hyparquet-writer';
import { writeCsv } from './csv';
import {
  FOCUS_COLUMNS,
  FOCUS_DATA_GENERATOR,
  FOCUS_DATA_GENERATOR_VERSION,
  FOCUS_SCHEMA_ID,
  FOCUS_VERSION,
  focusCsvKind,
  focusMetadata,
  type FocusRow,
} from './focus-columns';

/** FOCUS as CSV: text cells escaped against formula injection, decimal cells as exact numbers. */
export function focusCsv(rows: readonly FocusRow[]): string {
  return writeCsv(
    FOCUS_COLUMNS.map((name) => ({ name, kind: focusCsvKind(name) })),
    rows.map((row) => FOCUS_COLUMNS.map((column) => row[column])),
  );
}

/**
 * FOCUS as Parquet. Every column is a UTF-8 string column holding exactly what the CSV holds: decimals
 * stay exact decimal text (a unit price x quantity product can have more places than a Parquet DECIMAL
 * of fixed scale would keep). The file names its schema in its key-value metadata, as FOCUS asks of
 * every data artifact: FocusVersion, SchemaId, DataGenerator, and the whole metadata object.
 */
export function focusParquet(rows: readonly FocusRow[]): ArrayBuffer {
  return parquetWriteBuffer({
    columnData: FOCUS_COLUMNS.map((name) => ({
      name,
      data: rows.map((row) => row[name]),
      type: 'STRING' as const,
      nullable: true,
    })),
    kvMetadata: [
      { key: 'FocusVersion', value: FOCUS_VERSION },
      { key: 'SchemaId', value: FOCUS_SCHEMA_ID },
      { key: 'DataGenerator', value: FOCUS_DATA_GENERATOR },
      { key: 'DataGeneratorVersion', value: FOCUS_DATA_GENERATOR_VERSION },
      { key: 'FocusMetadata', value: JSON.stringify(focusMetadata()) },
    ],
    createdBy: `${FOCUS_DATA_GENERATOR} ${FOCUS_DATA_GENERATOR_VERSION}`,
  });
}
