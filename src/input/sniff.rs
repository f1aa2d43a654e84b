//! Looks at the start of a stream before it is scanned: empty and binary input are refused
//! with a message, everything else is handed on unchanged. Owns nothing else.

use std::io::{self, Cursor, Read};

use super::{InputError, read_up_to};

/// How much of the start is looked at for NUL bytes.
const SNIFF_BYTES: usize = 8 * 1024;

/// A stream whose first bytes were already read and are given back first.
pub type Sniffed<R> = io::Chain<Cursor<Vec<u8>>, R>;

/// Refuses empty and binary input; `label` names it in the error.
pub fn checked<R: Read>(mut reader: R, label: &str) -> Result<Sniffed<R>, InputError> {
    let mut start = vec![0; SNIFF_BYTES];
    let read = read_up_to(&mut reader, &mut start)
        .map_err(|source| InputError::Unreadable { path: label.to_owned(), source })?;
    start.truncate(read);
    if start.iter().all(u8::is_ascii_whitespace) && read < SNIFF_BYTES {
        return Err(InputError::Empty { path: label.to_owned() });
    }
    refuse_binary(&start, label)?;
    Ok(Cursor::new(start).chain(reader))
}

/// Refuses text whose first bytes hold a NUL, as a binary file; `label` names it.
pub fn refuse_binary(text: &[u8], label: &str) -> Result<(), InputError> {
    let start = &text[..text.len().min(SNIFF_BYTES)];
    match memchr::memchr(0, start) {
        Some(offset) => Err(InputError::Binary { path: label.to_owned(), offset }),
        None => Ok(()),
    }
}
