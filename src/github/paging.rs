//! Reading the API's JSON: a body read under the timeout into our tolerant models, and lists
//! followed page by page through the Link header, never to another server. Owns paging; how a
//! request is sent is `client.rs`.

use http::HeaderMap;
use http_body_util::BodyExt as _;
use serde::de::DeserializeOwned;

use super::client::{GitHub, Hop, host_of, transport_detail};
use super::error::GithubError;

impl GitHub {
    /// GETs JSON from the API and reads it into `T`; also gives the Link header's next page.
    pub async fn get_json<T: DeserializeOwned>(
        &self,
        uri: &str,
        what: &str,
    ) -> Result<(T, Option<String>), GithubError> {
        let response = self.get(Hop::Api, uri, what).await?.map_err(|r| r.into_error(what))?;
        let next = next_link(response.headers()).filter(|next| self.same_origin(next));
        let body = tokio::time::timeout(self.policy().timeout, response.into_body().collect())
            .await
            .map_err(|_| GithubError::Timeout {
                host: host_of(uri).unwrap_or_default(),
                what: what.to_owned(),
                limit: self.policy().timeout,
            })?
            .map_err(|error| GithubError::Malformed {
                what: what.to_owned(),
                detail: transport_detail(&error),
            })?
            .to_bytes();
        let value = serde_json::from_slice(&body).map_err(|error| GithubError::Malformed {
            what: what.to_owned(),
            detail: error.to_string(),
        })?;
        Ok((value, next))
    }

    /// Every page of a list, following Link headers, until `max_items` items or
    /// `max_pages` pages.
    pub async fn get_pages<T: DeserializeOwned, I>(
        &self,
        first: &str,
        what: &str,
        limits: (usize, usize),
        items: impl Fn(T) -> Vec<I>,
    ) -> Result<Vec<I>, GithubError> {
        let (max_items, max_pages) = limits;
        let mut all = Vec::new();
        let mut uri = Some(first.to_owned());
        let mut pages = 0;
        while let Some(current) = uri.take() {
            let (page, next) = self.get_json::<T>(&current, what).await?;
            all.extend(items(page));
            pages += 1;
            if all.len() >= max_items || pages >= max_pages {
                all.truncate(max_items);
                break;
            }
            uri = next;
        }
        Ok(all)
    }

    fn same_origin(&self, uri: &str) -> bool {
        let origin = |url: &str| url.split('/').take(3).collect::<Vec<_>>().join("/");
        let same = origin(uri).eq_ignore_ascii_case(&origin(self.api_url()));
        if !same {
            tracing::warn!("not following a next-page link to another server");
        }
        same
    }
}

/// The `rel="next"` URL of a Link header.
pub fn next_link(headers: &HeaderMap) -> Option<String> {
    let link = headers.get(http::header::LINK)?.to_str().ok()?;
    link.split(',').find_map(|part| {
        let (url, params) = part.split_once(';')?;
        let is_next = params
            .split(';')
            .any(|p| p.trim().replace(' ', "").eq_ignore_ascii_case("rel=\"next\""));
        is_next.then(|| url.trim().trim_start_matches('<').trim_end_matches('>').to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_link_is_found_among_the_others() {
        let mut headers = HeaderMap::new();
        let link = "<https://api.github.com/x?page=1>; rel=\"prev\", \
                    <https://api.github.com/x?page=3>; rel=\"next\", \
                    <https://api.github.com/x?page=9>; rel=\"last\"";
        headers.insert(http::header::LINK, link.parse().unwrap());
        assert_eq!(next_link(&headers).as_deref(), Some("https://api.github.com/x?page=3"));
    }
}
