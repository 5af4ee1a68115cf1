//! Publishes events to every subscriber with one increasing sequence number.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use crossbeam_channel::{unbounded, Receiver, Sender};

use super::api::{Event, EventKind};

#[derive(Default)]
pub struct EventBus {
    seq: AtomicU64,
    subscribers: Mutex<Vec<Sender<Event>>>,
}

impl EventBus {
    pub fn subscribe(&self) -> Receiver<Event> {
        let (tx, rx) = unbounded();
        self.lock().push(tx);
        rx
    }

    pub fn publish(&self, kinds: Vec<EventKind>) {
        let mut subscribers = self.lock();
        for kind in kinds {
            // Numbered under the lock so every subscriber sees the same order.
            let event = Event {
                seq: self.seq.fetch_add(1, Ordering::SeqCst) + 1,
                kind,
            };
            subscribers.retain(|s| s.send(event.clone()).is_ok());
        }
    }

    pub fn last_seq(&self) -> u64 {
        self.seq.load(Ordering::SeqCst)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Sender<Event>>> {
        self.subscribers.lock().unwrap_or_else(|p| p.into_inner())
    }
}
