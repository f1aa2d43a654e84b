//! The repository at a run's commit, kept by repository and commit: the file list and the
//! workflow files read from GitHub, deflated JSON. A commit never changes, so what is kept is
//! never refreshed, only pruned with the last run that named it.

use std::io::{Read as _, Write as _};

use flate2::Compression;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use rusqlite::{OptionalExtension as _, params};

use crate::store::{Store, StoreError};
use crate::workflow::repo::RepoSnapshot;

impl Store {
    /// Keeps the repository `repo` as it is at commit `sha`.
    pub fn put_commit(
        &self,
        repo: &str,
        sha: &str,
        snapshot: &RepoSnapshot,
    ) -> Result<(), StoreError> {
        let conversion = |error: Box<dyn std::error::Error + Send + Sync>| StoreError::Sqlite {
            path: self.path.display().to_string(),
            source: rusqlite::Error::ToSqlConversionFailure(error),
        };
        let json = serde_json::to_vec(snapshot).map_err(|error| conversion(Box::new(error)))?;
        let mut encoder = DeflateEncoder::new(Vec::new(), Compression::fast());
        let deflated = encoder.write_all(&json).and_then(|()| encoder.finish());
        let deflated = deflated.map_err(|error| conversion(Box::new(error)))?;
        let connection = self.connection();
        let result = connection.execute(
            "INSERT OR REPLACE INTO commits (repo, sha, json, stored_at) VALUES (?1, ?2, ?3, ?4)",
            params![repo, sha, deflated, jiff::Timestamp::now().as_second()],
        );
        self.check(result).map(|_| ())
    }

    /// The repository `repo` at commit `sha`, when kept.
    pub fn commit(&self, repo: &str, sha: &str) -> Result<Option<RepoSnapshot>, StoreError> {
        let connection = self.connection();
        let result = connection
            .query_row(
                "SELECT json FROM commits WHERE repo = ?1 AND sha = ?2",
                params![repo, sha],
                |row| row.get::<_, Vec<u8>>(0),
            )
            .optional();
        let Some(deflated) = self.check(result)? else { return Ok(None) };
        let mut json = Vec::new();
        if DeflateDecoder::new(deflated.as_slice()).read_to_end(&mut json).is_err() {
            tracing::warn!(%repo, %sha, "a kept commit did not inflate; ignored");
            return Ok(None);
        }
        Ok(serde_json::from_slice(&json).ok())
    }
}
