//! A small deterministic generator (xorshift64*): the same seed gives the same sequence. The
//! bench draws its organization with it and the fuzz test its requests; spread, not
//! cryptography.

/// The generator's state; any non-zero seed.
pub struct Draw(pub u64);

impl Draw {
    /// The next number of the sequence.
    pub fn number(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.number() % n.max(1) as u64) as usize
    }
}
