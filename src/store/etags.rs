//! The store as the ETag keeper of conditional requests: an answer's ETag, Link header and body
//! kept across processes, so the next process asks with `If-None-Match` and a 304 costs nothing.
//! A fault reading or writing is logged and reads as nothing kept; a request is never stopped.

use bytes::Bytes;
use rusqlite::{OptionalExtension as _, params};

use crate::github::etags::{EtagEntry, EtagStore, MEMORY_BODY_BYTES};
use crate::store::Store;

impl EtagStore for Store {
    fn get(&self, url: &str) -> Option<EtagEntry> {
        let connection = self.connection();
        let found = connection
            .query_row("SELECT etag, link, body FROM etags WHERE url = ?1", [url], |row| {
                Ok(EtagEntry {
                    etag: row.get(0)?,
                    link: row.get(1)?,
                    body: Bytes::from(row.get::<_, Vec<u8>>(2)?),
                })
            })
            .optional();
        let found = self.check(found);
        found.inspect_err(|error| tracing::warn!(%error, "ETag not read")).ok().flatten()
    }

    fn put(&self, url: &str, entry: EtagEntry) {
        if entry.body.len() > MEMORY_BODY_BYTES {
            return;
        }
        let connection = self.connection();
        let written = connection.execute(
            "INSERT OR REPLACE INTO etags (url, etag, body, stored_at, link)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                url,
                entry.etag,
                entry.body.as_ref(),
                jiff::Timestamp::now().as_second(),
                entry.link
            ],
        );
        if let Err(error) = self.check(written) {
            tracing::warn!(%error, "ETag not kept in the local store");
        }
    }
}
