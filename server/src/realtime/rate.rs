//! The per-person send limit on the websocket: a token bucket per user
//! (shared by all their connections), refilled at `per_second` up to
//! `burst`. A person typing never meets it; a runaway script does, and gets
//! a clear error for each refused message instead of filling rooms.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// Buckets kept before full (idle) ones are dropped.
const PRUNE_ABOVE: usize = 10_000;

pub struct SendLimiter {
    per_second: f64,
    burst: f64,
    buckets: Mutex<HashMap<i64, (f64, Instant)>>,
}

impl SendLimiter {
    pub fn new(per_second: u32, burst: u32) -> Self {
        Self {
            per_second: f64::from(per_second.max(1)),
            burst: f64::from(burst.max(1)),
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Whether `user_id` may send one more message now (and count it).
    pub fn allow(&self, user_id: i64) -> bool {
        self.allow_at(user_id, Instant::now())
    }

    fn allow_at(&self, user_id: i64, now: Instant) -> bool {
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if buckets.len() > PRUNE_ABOVE {
            let (rate, burst) = (self.per_second, self.burst);
            buckets.retain(|_, (tokens, at)| {
                *tokens + now.duration_since(*at).as_secs_f64() * rate < burst
            });
        }
        let (tokens, at) = buckets.entry(user_id).or_insert((self.burst, now));
        *tokens =
            (*tokens + now.duration_since(*at).as_secs_f64() * self.per_second).min(self.burst);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn a_burst_is_allowed_then_the_rate_refills_it() {
        let limit = SendLimiter::new(2, 5);
        let start = Instant::now();
        assert!((0..5).all(|_| limit.allow_at(1, start)));
        assert!(!limit.allow_at(1, start), "the sixth at once is refused");
        assert!(limit.allow_at(2, start), "someone else is not affected");
        let later = start + Duration::from_millis(600);
        assert!(limit.allow_at(1, later), "one more after half a second");
        assert!(!limit.allow_at(1, later));
        let much_later = start + Duration::from_secs(60);
        assert!(
            (0..5).all(|_| limit.allow_at(1, much_later)),
            "never more than the burst"
        );
        assert!(!limit.allow_at(1, much_later));
    }
}
