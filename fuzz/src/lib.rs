//! What the fuzz targets share: an 8-byte aligned copy of the input, as a mapped file or a
//! numpy array would be (the zero-copy views refuse misaligned buffers, which is a different
//! and already-tested path), and the cap on events replayed per input.
#![deny(unsafe_code)]

/// Most events of one input replayed through the engine: enough to reach every stage, few
/// enough that an input runs in microseconds and libFuzzer keeps its thousands per second.
pub const MAX_REPLAYED_EVENTS: usize = 512;

/// The input copied into 8-byte words (little-endian), so its bytes start aligned.
pub struct Aligned {
    words: Vec<u64>,
    len: usize,
}

impl Aligned {
    /// Copies `data`.
    pub fn new(data: &[u8]) -> Aligned {
        let words = data
            .chunks(8)
            .map(|c| {
                let mut w = [0u8; 8];
                w[..c.len()].copy_from_slice(c);
                u64::from_le_bytes(w)
            })
            .collect();
        Aligned { words, len: data.len() }
    }

    /// The copy's bytes, starting at an 8-byte boundary.
    pub fn bytes(&self) -> &[u8] {
        #[allow(unsafe_code)]
        // SAFETY: a `u64` has no padding, so every byte of the words is initialised and may
        // be read as a `u8`; `len` is at most the words' byte length (`new` made one word per
        // 8 input bytes, rounding up); the slice borrows `self`.
        unsafe {
            std::slice::from_raw_parts(self.words.as_ptr().cast::<u8>(), self.len)
        }
    }
}
