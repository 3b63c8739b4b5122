//! Time-window segments (Vidal et al. 2013): what a sequence of visits needs
//! from the clock, so that any concatenation of route pieces is evaluated in
//! constant time. Late arrivals are allowed at a price, as "time warp".

/// The time data of a sequence of visits, as if it were one visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    /// First node of the sequence.
    pub first: usize,
    /// Last node of the sequence.
    pub last: usize,
    /// Time from the first start of service to the end of the last, waits
    /// included.
    pub duration: i64,
    /// Time travelled back in the sequence to meet the windows.
    pub time_warp: i64,
    /// Earliest start at the first node that leads to the least duration.
    pub earliest: i64,
    /// Latest start at the first node without extra time warp.
    pub latest: i64,
}

impl Segment {
    /// The segment of one visit.
    #[inline]
    pub fn node(node: usize, service: i64, window: (i64, i64)) -> Self {
        Segment {
            first: node,
            last: node,
            duration: service,
            time_warp: 0,
            earliest: window.0,
            latest: window.1,
        }
    }

    /// This segment followed by `next`, travelling `travel` in between.
    #[inline]
    pub fn then(&self, next: &Segment, travel: i64) -> Segment {
        let delta = self.duration - self.time_warp + travel;
        let wait = (next.earliest - delta - self.latest).max(0);
        let warp = (self.earliest + delta - next.latest).max(0);
        Segment {
            first: self.first,
            last: next.last,
            duration: self.duration + next.duration + travel + wait,
            time_warp: self.time_warp + next.time_warp + warp,
            earliest: (next.earliest - delta).max(self.earliest) - wait,
            latest: (next.latest - delta).min(self.latest) + warp,
        }
    }

    /// Time warp of the sequence, counting a duration above `max_duration`
    /// as time warp too.
    #[inline]
    pub fn total_warp(&self, max_duration: i64) -> i64 {
        self.time_warp + (self.duration - max_duration).max(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waiting_and_lateness_are_accounted() {
        // Depot open [0, 100]; client A window [50, 60], service 5, 10 away;
        // client B window [0, 40], 10 beyond A: reaching B at 65 is 25 late.
        let depot = Segment::node(0, 0, (0, 100));
        let a = Segment::node(1, 5, (50, 60));
        let b = Segment::node(2, 0, (0, 40));
        let da = depot.then(&a, 10);
        assert_eq!(
            da.earliest, 40,
            "leave at 40 to arrive at 50 without waiting"
        );
        assert_eq!(da.duration, 15);
        assert_eq!(da.time_warp, 0);
        let dab = da.then(&b, 10);
        assert_eq!(dab.time_warp, 25);
        // Concatenation is associative: (depot, (A, B)) is the same.
        assert_eq!(depot.then(&a.then(&b, 10), 10), dab);
    }

    #[test]
    fn a_long_route_warps_beyond_its_maximum_duration() {
        let s = Segment::node(0, 0, (0, 1000)).then(&Segment::node(1, 30, (0, 1000)), 50);
        assert_eq!(s.duration, 80);
        assert_eq!(s.total_warp(60), 20);
        assert_eq!(s.total_warp(100), 0);
    }
}
