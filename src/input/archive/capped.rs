//! The unpacked-bytes cap of one archive: every byte read from any of its entries is counted,
//! whatever the headers claim, and reading stops with an error once the cap is passed. Owns the
//! count and the error that says "cap reached"; what to tell the user is the archive's call.

use std::io::{self, Read};

/// What has been unpacked from one archive so far.
#[derive(Debug)]
pub struct Budget {
    limit: u64,
    used: u64,
    exceeded: bool,
}

/// The error a capped reader returns once the cap is passed.
#[derive(Debug, thiserror::Error)]
#[error("the archive unpacks to more than {limit} bytes")]
pub struct CapReached {
    /// The cap in bytes.
    pub limit: u64,
}

/// A reader that counts what it hands out against a [`Budget`].
#[derive(Debug)]
pub struct Capped<'b, R> {
    inner: R,
    budget: &'b mut Budget,
}

impl Budget {
    /// A budget of `limit` bytes.
    pub fn new(limit: u64) -> Budget {
        Budget { limit, used: 0, exceeded: false }
    }

    /// Whether some read went past the cap.
    pub fn exceeded(&self) -> bool {
        self.exceeded
    }

    /// The cap in bytes.
    pub fn limit(&self) -> u64 {
        self.limit
    }
}

impl<'b, R: Read> Capped<'b, R> {
    /// Counts what is read from `inner` against `budget`.
    pub fn new(inner: R, budget: &'b mut Budget) -> Capped<'b, R> {
        Capped { inner, budget }
    }
}

impl<R: Read> Read for Capped<'_, R> {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        if self.budget.exceeded {
            return Err(io::Error::other(CapReached { limit: self.budget.limit }));
        }
        let left = self.budget.limit.saturating_sub(self.budget.used).saturating_add(1);
        let wanted = buffer.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let read = self.inner.read(&mut buffer[..wanted])?;
        self.budget.used += read as u64;
        if self.budget.used > self.budget.limit {
            self.budget.exceeded = true;
            return Err(io::Error::other(CapReached { limit: self.budget.limit }));
        }
        Ok(read)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reading_past_the_cap_fails_and_is_remembered() {
        let mut budget = Budget::new(10);
        let mut first = Capped::new(&b"12345"[..], &mut budget);
        let mut sink = Vec::new();
        first.read_to_end(&mut sink).expect("within the cap");

        let mut second = Capped::new(&b"678901"[..], &mut budget);
        let error = second.read_to_end(&mut sink).expect_err("past the cap");
        assert!(error.get_ref().and_then(|inner| inner.downcast_ref::<CapReached>()).is_some());
        assert!(budget.exceeded());
    }

    #[test]
    fn exactly_the_cap_is_allowed() {
        let mut budget = Budget::new(4);
        let mut reader = Capped::new(&b"abcd"[..], &mut budget);
        let mut sink = Vec::new();
        reader.read_to_end(&mut sink).expect("at the cap");
        assert_eq!(sink, b"abcd");
        assert!(!budget.exceeded());
    }
}
