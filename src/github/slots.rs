//! The client's request slots: at most a few requests open at once, API calls and log
//! downloads together, however many triages the TUI starts. A slot is taken before a request is
//! sent and given back when its answer's body is dropped; never held across a wait.

use std::sync::Arc;

use http_body_util::BodyExt as _;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::client::RawResponse;

/// The most requests the client has open at once.
pub const MAX_IN_FLIGHT: usize = 4;

/// The slots of one client, shared by its API and download hops.
#[derive(Clone, Debug)]
pub struct Slots(Arc<Semaphore>);

/// One request's slot, given back when dropped.
#[derive(Debug)]
pub struct Slot {
    _permit: OwnedSemaphorePermit,
}

impl Slots {
    /// `count` slots.
    pub fn new(count: usize) -> Slots {
        Slots(Arc::new(Semaphore::new(count)))
    }

    /// Waits for a free slot.
    pub async fn take(&self) -> Slot {
        let permit = self.0.clone().acquire_owned().await;
        Slot { _permit: permit.expect("the client's slots are never closed") }
    }

    /// How many slots are free now.
    pub fn free(&self) -> usize {
        self.0.available_permits()
    }
}

impl Default for Slots {
    fn default() -> Slots {
        Slots::new(MAX_IN_FLIGHT)
    }
}

impl Slot {
    /// `response` with this slot held until its body is dropped.
    pub fn ride(self, response: RawResponse) -> RawResponse {
        let (parts, body) = response.into_parts();
        let body = body
            .map_frame(move |frame| {
                let _held = &self;
                frame
            })
            .boxed();
        http::Response::from_parts(parts, body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_slot_rides_with_the_body_and_comes_back_when_it_is_dropped() {
        let slots = Slots::new(2);
        let slot = slots.take().await;
        let body = http_body_util::Full::new(bytes::Bytes::from_static(b"{}"))
            .map_err(|never| match never {})
            .boxed();
        let response = slot.ride(http::Response::new(body));
        assert_eq!(slots.free(), 1);
        drop(response);
        assert_eq!(slots.free(), 2);
    }
}
