//! Conditional requests: the `ETag` and body of each API answer kept, so the next request for the
//! same URL sends `If-None-Match` and a 304 (which GitHub does not count against the rate limit)
//! reuses the body without downloading it again. Owns the store trait, its in-memory
//! implementation, and the adapter octocrab's cache layer calls; the local store (#5) can
//! implement [`EtagStore`] to keep entries across runs. URLs hold no token, so neither do keys.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Uri, header};
use octocrab::service::middleware::cache::{CacheKey, CacheStorage, CacheWriter, CachedResponse};

/// What is kept of one answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EtagEntry {
    /// The answer's `ETag`, sent back as `If-None-Match`.
    pub etag: String,
    /// Its `Link` header, so paging goes on after a 304.
    pub link: Option<String>,
    /// Its body.
    pub body: Bytes,
}

/// Where entries are kept, by request URL.
pub trait EtagStore: Send + Sync + std::fmt::Debug {
    /// The entry for `url`, if kept.
    fn get(&self, url: &str) -> Option<EtagEntry>;
    /// Keeps `entry` for `url`, replacing any older one.
    fn put(&self, url: &str, entry: EtagEntry);
}

/// The most entries the in-memory store keeps.
pub const MEMORY_ENTRIES: usize = 256;
/// The largest body the in-memory store keeps.
pub const MEMORY_BODY_BYTES: usize = 4 << 20;

/// Entries in memory for the life of the process, the oldest dropped past [`MEMORY_ENTRIES`].
#[derive(Debug, Default)]
pub struct MemoryEtagStore {
    inner: Mutex<Memory>,
}

#[derive(Debug, Default)]
struct Memory {
    entries: HashMap<String, EtagEntry>,
    order: VecDeque<String>,
}

impl EtagStore for MemoryEtagStore {
    fn get(&self, url: &str) -> Option<EtagEntry> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner).entries.get(url).cloned()
    }

    fn put(&self, url: &str, entry: EtagEntry) {
        if entry.body.len() > MEMORY_BODY_BYTES {
            return;
        }
        let mut memory = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if memory.entries.insert(url.to_owned(), entry).is_none() {
            memory.order.push_back(url.to_owned());
        }
        while memory.order.len() > MEMORY_ENTRIES {
            let Some(oldest) = memory.order.pop_front() else { break };
            memory.entries.remove(&oldest);
        }
    }
}

/// The store as octocrab's cache layer sees it. An entry offered by `try_hit` is held until
/// `load` so a 304 always finds its body, and a body is kept only when it arrived whole (valid
/// JSON), never a cut one.
pub struct OctocrabEtags {
    store: Arc<dyn EtagStore>,
    offered: Mutex<HashMap<Uri, EtagEntry>>,
}

impl OctocrabEtags {
    /// The adapter over `store`.
    pub fn new(store: Arc<dyn EtagStore>) -> OctocrabEtags {
        OctocrabEtags { store, offered: Mutex::new(HashMap::new()) }
    }
}

impl CacheStorage for OctocrabEtags {
    fn try_hit(&self, uri: &Uri) -> Option<CacheKey> {
        let entry = self.store.get(&uri.to_string())?;
        let key = CacheKey::ETag(entry.etag.clone());
        HeaderValue::from_str(&entry.etag).ok()?;
        self.offered.lock().unwrap_or_else(PoisonError::into_inner).insert(uri.clone(), entry);
        Some(key)
    }

    fn load(&self, uri: &Uri) -> Option<CachedResponse> {
        let offered = self.offered.lock().unwrap_or_else(PoisonError::into_inner).remove(uri);
        // An unasked-for 304 gets an empty body, which then reads as malformed, not a panic.
        let entry = offered.or_else(|| self.store.get(&uri.to_string()));
        let Some(entry) = entry else { return Some(CachedResponse::default()) };
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
        if let Some(link) = entry.link.as_deref().and_then(|l| HeaderValue::from_str(l).ok()) {
            headers.insert(header::LINK, link);
        }
        Some(CachedResponse { body: entry.body.to_vec(), headers })
    }

    fn writer(&self, uri: &Uri, key: CacheKey, headers: HeaderMap) -> Box<dyn CacheWriter> {
        let etag = match key {
            CacheKey::ETag(etag) => Some(etag),
            _ => None,
        };
        let link = headers.get(header::LINK).and_then(|l| l.to_str().ok()).map(str::to_owned);
        Box::new(Writer {
            store: Arc::clone(&self.store),
            url: uri.to_string(),
            etag,
            link,
            body: Vec::new(),
        })
    }
}

/// Collects a body as it is read; keeps it when whole.
struct Writer {
    store: Arc<dyn EtagStore>,
    url: String,
    etag: Option<String>,
    link: Option<String>,
    body: Vec<u8>,
}

impl CacheWriter for Writer {
    fn write_body(&mut self, data: &[u8]) {
        if self.body.len() <= MEMORY_BODY_BYTES {
            self.body.extend_from_slice(data);
        }
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        let Some(etag) = self.etag.take() else { return };
        let whole = serde_json::from_slice::<serde::de::IgnoredAny>(&self.body).is_ok();
        if !whole {
            return;
        }
        let body = Bytes::from(std::mem::take(&mut self.body));
        self.store.put(&self.url, EtagEntry { etag, link: self.link.take(), body });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(etag: &str) -> EtagEntry {
        EtagEntry { etag: etag.to_owned(), link: None, body: Bytes::from_static(b"[]") }
    }

    #[test]
    fn the_oldest_entry_goes_first_past_the_limit() {
        let store = MemoryEtagStore::default();
        for n in 0..=MEMORY_ENTRIES {
            store.put(&format!("/runs?page={n}"), entry(&format!("\"{n}\"")));
        }
        assert_eq!(store.get("/runs?page=0"), None);
        assert_eq!(store.get("/runs?page=1"), Some(entry("\"1\"")));
    }

    #[test]
    fn a_body_cut_short_is_not_kept() {
        let store: Arc<dyn EtagStore> = Arc::new(MemoryEtagStore::default());
        let cache = OctocrabEtags::new(Arc::clone(&store));
        let uri: Uri = "http://127.0.0.1/runs".parse().unwrap();
        let mut writer = cache.writer(&uri, CacheKey::ETag("\"a\"".to_owned()), HeaderMap::new());
        writer.write_body(br#"{"workflow_runs": ["#);
        drop(writer);
        assert_eq!(store.get(&uri.to_string()), None);
        assert!(cache.load(&uri).is_some_and(|cached| cached.body.is_empty()));
    }
}
