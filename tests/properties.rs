//! Property tests: every stored record type survives the codec, index keys sort
//! the way scans need them to, and frames survive the wire however it splits them.

use std::cmp::Reverse;
use std::io::{self, Read};

use chrono::NaiveDate;
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;

use lianfang::domain::audit::AuditRecord;
use lianfang::domain::department::DeptCode;
use lianfang::domain::evaluation::{
    Answer, Evaluation, PublicVote, Satisfaction, ThirdParty, ThirdPartyResult,
};
use lianfang::domain::identity::{check_char, IdNumber};
use lianfang::domain::lifecycle::{
    Extension, Lifecycle, Refusal, RefusalGround, Return, Routing, State, Transition,
};
use lianfang::domain::matter::{
    Accused, Category, HistoryEntry, HistoryKind, LegalChannel, Matter, Outcome,
};
use lianfang::domain::name::PersonName;
use lianfang::domain::officer::{Officer, Role};
use lianfang::domain::oversight::{LeadCharge, Supervision};
use lianfang::domain::phone::Phone;
use lianfang::domain::ticket::{DeskState, Ticket, TicketState};
use lianfang::domain::time::Timestamp;
use lianfang::domain::visit::{Channel, Visit};
use lianfang::domain::visit_facts::LowerLevel;
use lianfang::domain::visitor::{
    KeyGrade, KeyGradeChange, MatterGlance, OpenMatterRef, Visitor, VisitorSummary,
};
use lianfang::hall::{HallError, SessionToken};
use lianfang::net::protocol::{encode_frame, ClientMsg, FrameReader, Request, ServerMsg};
use lianfang::store::codec::{encode, FORMAT_VERSION, OLDEST_FORMAT};
use lianfang::store::keys::{
    exact_prefix, id_key, lookup_key, pair_key, parse_lookup_key, term_key, trailing_id, LookupKey,
    Stored,
};

// ---- strategies -------------------------------------------------------------

fn text() -> impl Strategy<Value = String> {
    "\\PC{0,12}"
}

fn ts() -> impl Strategy<Value = Timestamp> {
    any::<i64>().prop_map(Timestamp)
}

fn dept() -> impl Strategy<Value = DeptCode> {
    "[a-z0-9]{1,16}".prop_map(DeptCode)
}

fn date() -> impl Strategy<Value = NaiveDate> {
    (0u64..150 * 366)
        .prop_map(|d| NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + chrono::Days::new(d))
}

fn pick<T: Clone + std::fmt::Debug + 'static>(all: &'static [T]) -> impl Strategy<Value = T> {
    proptest::sample::select(all)
}

/// A valid 18-digit number: region, birth date, sequence and the computed check character.
fn id_number() -> impl Strategy<Value = IdNumber> {
    ("[1-6][1-5][0-9]{4}", date(), 0u32..1000).prop_filter_map(
        "a region or date the parser refuses",
        |(region, born, seq)| {
            let first17 = format!("{region}{}{seq:03}", born.format("%Y%m%d"));
            let check = check_char(&first17)?;
            IdNumber::parse(&format!("{first17}{check}")).ok()
        },
    )
}

fn name() -> impl Strategy<Value = PersonName> {
    "[\u{4e00}-\u{9fa5}]{2,4}".prop_filter_map("not a name", |n| PersonName::parse(&n).ok())
}

fn phone() -> impl Strategy<Value = Phone> {
    "1[3-9][0-9]{9}".prop_filter_map("not a phone", |p| Phone::parse(&p).ok())
}

fn legal_channel() -> impl Strategy<Value = LegalChannel> {
    pick(&LegalChannel::ALL)
}

fn outcome() -> impl Strategy<Value = Outcome> {
    prop_oneof![
        Just(Outcome::AnsweredOnSpot),
        Just(Outcome::Accepted),
        dept().prop_map(|to| Outcome::Forwarded { to }),
        dept().prop_map(|to| Outcome::Assigned { to }),
        Just(Outcome::NotAccepted),
        legal_channel().prop_map(Outcome::LegalChannel),
    ]
}

fn refusal_ground() -> impl Strategy<Value = RefusalGround> {
    prop_oneof![
        legal_channel().prop_map(RefusalGround::LegalChannel),
        Just(RefusalGround::AlreadyFinal),
        Just(RefusalGround::PendingElsewhere),
        Just(RefusalGround::Other),
    ]
}

fn transition() -> impl Strategy<Value = Transition> {
    prop_oneof![
        Just(Transition::TakeUp),
        Just(Transition::Accept),
        (any::<u32>(), text(), text(), date()).prop_map(|(days, reason, approver, told_on)| {
            Transition::Extend {
                days,
                reason,
                approver,
                told_on,
            }
        }),
        Just(Transition::Reply),
        Just(Transition::AnswerRecheck),
        (dept(), any::<bool>()).prop_map(|(to, assigned)| Transition::Route { to, assigned }),
        text().prop_map(|reason| Transition::ReturnToSender { reason }),
        (refusal_ground(), text())
            .prop_map(|(ground, reason)| Transition::Refuse { ground, reason }),
        Just(Transition::Lapse),
    ]
}

fn lifecycle() -> impl Strategy<Value = Lifecycle> {
    let dates = || option::of(date());
    (
        (pick(&State::ALL), date(), date()),
        option::of(
            (dept(), any::<bool>(), date()).prop_map(|(to, assigned, on)| Routing {
                to,
                assigned,
                on,
            }),
        ),
        option::of((text(), date()).prop_map(|(reason, on)| Return { reason, on })),
        option::of(
            (refusal_ground(), text()).prop_map(|(ground, reason)| Refusal { ground, reason }),
        ),
        option::of((any::<u32>(), text(), text(), date(), date()).prop_map(
            |(days, reason, approver, told_on, granted_on)| Extension {
                days,
                reason,
                approver,
                told_on,
                granted_on,
            },
        )),
        (
            dates(),
            dates(),
            dates(),
            dates(),
            dates(),
            dates(),
            dates(),
        ),
    )
        .prop_map(
            |((state, since, received), routing, returned, refusal, extension, d)| Lifecycle {
                state,
                since,
                received,
                routing,
                returned,
                refusal,
                accepted: d.0,
                extension,
                replied: d.1,
                review_requested: d.2,
                review_answered: d.3,
                recheck_requested: d.4,
                recheck_answered: d.5,
            },
        )
}

fn history_entry() -> impl Strategy<Value = HistoryEntry> {
    let kind = prop_oneof![
        dept().prop_map(|department| HistoryKind::Registered { department }),
        (dept(), dept(), any::<bool>(), text()).prop_map(|(from, to, assigned, reason)| {
            HistoryKind::Routed {
                from,
                to,
                assigned,
                reason,
            }
        }),
        (outcome(), text()).prop_map(|(outcome, note)| HistoryKind::Outcome { outcome, note }),
        text().prop_map(|text| HistoryKind::Note { text }),
        (transition(), text()).prop_map(|(step, note)| HistoryKind::Step { step, note }),
        any::<u64>().prop_map(|visit| HistoryKind::RepeatVisit { visit }),
    ];
    (ts(), text(), kind).prop_map(|(at, officer, kind)| HistoryEntry { at, officer, kind })
}

fn matter() -> impl Strategy<Value = Matter> {
    (
        (
            any::<u64>(),
            text(),
            pick(&Category::ALL),
            text(),
            text(),
            text(),
            text(),
        ),
        option::of(
            (text(), option::of(dept()))
                .prop_map(|(party, department)| Accused { party, department }),
        ),
        (dept(), lifecycle(), ts()),
        (
            vec(any::<u64>(), 0..4),
            vec(any::<u64>(), 0..4),
            vec(history_entry(), 0..6),
        ),
        (
            vec(evaluation(), 0..3),
            option::of(lower_level()),
            option::of(supervision()),
            option::of(lead()),
        ),
    )
        .prop_map(
            |(
                (id, number, category, content_class, place, summary, demands),
                accused,
                (department, status, received),
                (visitors, visits, history),
                (evaluations, lower_level, supervision, lead),
            )| Matter {
                id,
                number,
                category,
                content_class,
                place,
                summary,
                demands,
                accused,
                department,
                status,
                received,
                visitors,
                visits,
                history,
                evaluations,
                lower_level,
                supervision,
                lead,
            },
        )
}

fn evaluation() -> impl Strategy<Value = Evaluation> {
    let result = (any::<u32>(), any::<u32>(), text(), date(), text()).prop_map(
        |(satisfied, unsatisfied, opinion, recorded_on, recorded_by)| ThirdPartyResult {
            vote: PublicVote {
                satisfied,
                unsatisfied,
            },
            opinion,
            recorded_on,
            recorded_by,
        },
    );
    let third_party = (date(), text(), text(), option::of(result)).prop_map(
        |(sent_on, sent_by, reason, result)| ThirdParty {
            sent_on,
            sent_by,
            reason,
            result,
        },
    );
    (
        pick(&[Answer::Reply, Answer::Review, Answer::Recheck]),
        pick(&Satisfaction::ALL),
        text(),
        date(),
        text(),
        option::of(third_party),
    )
        .prop_map(
            |(answer, satisfaction, note, on, officer, third_party)| Evaluation {
                answer,
                satisfaction,
                note,
                on,
                officer,
                third_party,
            },
        )
}

fn supervision() -> impl Strategy<Value = Supervision> {
    (date(), text(), text(), date()).prop_map(|(due, note, by, since)| Supervision {
        due,
        note,
        by,
        since,
    })
}

fn lead() -> impl Strategy<Value = LeadCharge> {
    (text(), text(), date()).prop_map(|(leader, name, since)| LeadCharge {
        leader,
        name,
        since,
    })
}

fn lower_level() -> impl Strategy<Value = LowerLevel> {
    (text(), date()).prop_map(|(body, until)| LowerLevel { body, until })
}

fn key_grade() -> impl Strategy<Value = KeyGrade> {
    pick(&[KeyGrade::A, KeyGrade::B, KeyGrade::C, KeyGrade::D])
}

fn summary() -> impl Strategy<Value = VisitorSummary> {
    let glance = (
        pick(&Category::ALL),
        option::of(dept()),
        lifecycle(),
        option::of(text()),
    )
        .prop_map(
            |(category, accused_department, status, lead)| MatterGlance {
                category,
                accused_department,
                status,
                lead,
            },
        );
    let open = (any::<u64>(), dept(), any::<bool>(), option::of(glance)).prop_map(
        |(matter, department, confidential, glance)| OpenMatterRef {
            matter,
            department,
            confidential,
            glance,
        },
    );
    (
        any::<u32>(),
        option::of(ts()),
        vec(open, 0..3),
        vec(dept(), 0..3),
        any::<u32>(),
        option::of(ts()),
        vec(dept(), 0..3),
    )
        .prop_map(
            |(visit_count, last_visit, open_matters, departments, cv, lpv, cd)| VisitorSummary {
                visit_count,
                last_visit,
                open_matters,
                departments,
                confidential_visits: cv,
                last_public_visit: lpv,
                confidential_departments: cd,
            },
        )
}

fn visitor() -> impl Strategy<Value = Visitor> {
    (
        any::<u64>(),
        option::of(id_number()),
        name(),
        option::of(phone()),
        text(),
        option::of(key_grade()),
        ts(),
        summary(),
        any::<bool>(),
    )
        .prop_map(
            |(id, id_number, name, phone, address, key_grade, created, summary, anonymous)| {
                Visitor {
                    id,
                    id_number,
                    name,
                    phone,
                    address,
                    key_grade,
                    created,
                    summary,
                    anonymous,
                }
            },
        )
}

fn visit() -> impl Strategy<Value = Visit> {
    (
        (
            any::<u64>(),
            any::<u64>(),
            any::<u64>(),
            ts(),
            pick(&Channel::ALL),
        ),
        (any::<u16>(), vec(name(), 0..5), dept(), text(), text()),
        (
            option::of(any::<u64>()),
            any::<bool>(),
            any::<u8>(),
            any::<bool>(),
        ),
    )
        .prop_map(
            |(
                (id, visitor, matter, at, channel),
                (headcount, representatives, department, desk, officer),
                (ticket, repeat, level, anonymous),
            )| Visit {
                id,
                visitor,
                matter,
                at,
                channel,
                headcount,
                representatives,
                department,
                desk,
                officer,
                ticket,
                repeat,
                level,
                anonymous,
            },
        )
}

fn ticket_state() -> impl Strategy<Value = TicketState> {
    prop_oneof![
        Just(TicketState::Waiting),
        Just(TicketState::Lapsed),
        (text(), text()).prop_map(|(desk, officer)| TicketState::Called { desk, officer }),
        (outcome(), text()).prop_map(|(outcome, officer)| TicketState::Done { outcome, officer }),
    ]
}

fn ticket() -> impl Strategy<Value = Ticket> {
    (
        (
            any::<u64>(),
            dept(),
            text(),
            any::<u64>(),
            any::<u64>(),
            any::<u64>(),
        ),
        (
            any::<u64>(),
            any::<u16>(),
            ts(),
            option::of(ts()),
            option::of(ts()),
        ),
        (any::<u8>(), ticket_state()),
    )
        .prop_map(
            |(
                (id, department, label, order, visitor, visit),
                (matter, headcount, issued, called, finished),
                (skipped, state),
            )| Ticket {
                id,
                department,
                label,
                order,
                visitor,
                visit,
                matter,
                headcount,
                issued,
                called,
                finished,
                skipped,
                state,
            },
        )
}

fn officer() -> impl Strategy<Value = Officer> {
    (
        text(),
        text(),
        pick(&Role::ALL),
        dept(),
        text(),
        any::<bool>(),
        ts(),
    )
        .prop_map(
            |(username, display_name, role, department, password_hash, disabled, created)| {
                Officer {
                    username,
                    display_name,
                    role,
                    department,
                    password_hash,
                    disabled,
                    created,
                }
            },
        )
}

fn desk_state() -> impl Strategy<Value = DeskState> {
    (text(), text(), dept(), option::of(any::<u64>()), ts()).prop_map(
        |(desk, officer, department, ticket, since)| DeskState {
            desk,
            officer,
            department,
            ticket,
            since,
        },
    )
}

fn audit_record() -> impl Strategy<Value = AuditRecord> {
    (
        any::<u64>(),
        ts(),
        text(),
        text(),
        text(),
        option::of(any::<u64>()),
        option::of(any::<u64>()),
    )
        .prop_map(
            |(seq, at, officer, desk, action, matter, visitor)| AuditRecord {
                seq,
                at,
                officer,
                desk,
                action,
                matter,
                visitor,
            },
        )
}

fn key_grade_change() -> impl Strategy<Value = KeyGradeChange> {
    (
        any::<u64>(),
        any::<u64>(),
        option::of(key_grade()),
        text(),
        ts(),
        text(),
    )
        .prop_map(
            |(seq, visitor, grade, reason, at, officer)| KeyGradeChange {
                seq,
                visitor,
                grade,
                reason,
                at,
                officer,
            },
        )
}

// ---- the codec --------------------------------------------------------------

/// Encode then decode gives the record back, and so do its key and index entries.
fn round_trips<T: Stored + PartialEq + std::fmt::Debug>(record: &T) -> Result<(), TestCaseError> {
    let bytes = encode(record).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let back = T::decode(&bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(&back, record);
    prop_assert_eq!(back.key(), record.key());
    prop_assert_eq!(back.indexes(), record.indexes());
    // A cut record is an error, never a different record or a panic.
    prop_assert!(T::decode(&bytes[..bytes.len() - 1]).is_err());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn visitors_round_trip(v in visitor()) { round_trips(&v)?; }

    #[test]
    fn visits_round_trip(v in visit()) { round_trips(&v)?; }

    #[test]
    fn matters_round_trip(m in matter()) { round_trips(&m)?; }

    #[test]
    fn tickets_round_trip(t in ticket()) { round_trips(&t)?; }

    #[test]
    fn officers_round_trip(o in officer()) { round_trips(&o)?; }

    #[test]
    fn desks_round_trip(d in desk_state()) { round_trips(&d)?; }

    #[test]
    fn audit_records_round_trip(a in audit_record()) { round_trips(&a)?; }

    #[test]
    fn key_grade_changes_round_trip(k in key_grade_change()) { round_trips(&k)?; }

    /// Whatever bytes a damaged store holds, decoding says so instead of panicking.
    /// Half of the cases start with a version byte this program reads, so that every
    /// format's decoder sees garbage.
    #[test]
    fn arbitrary_bytes_decode_to_an_error_or_a_record(
        version in prop_oneof![Just(OLDEST_FORMAT), Just(FORMAT_VERSION), any::<u8>()],
        rest in vec(any::<u8>(), 0..200),
    ) {
        let bytes = [&[version][..], &rest].concat();
        let _ = Matter::decode(&bytes);
        let _ = Visitor::decode(&bytes);
        let _ = Ticket::decode(&bytes);
    }
}

// ---- key encodings ----------------------------------------------------------

/// The order lookup ranks visitors in: common reading first, then the latest
/// visit first, visitors never seen last, then by id.
fn rank(alternate: bool, last_visit: Option<Timestamp>, id: u64) -> impl Ord {
    (
        alternate,
        last_visit.is_none(),
        Reverse(last_visit.map(|t| t.0)),
        id,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn id_keys_sort_like_ids(a in any::<u64>(), b in any::<u64>()) {
        prop_assert_eq!(id_key(a).cmp(&id_key(b)), a.cmp(&b));
    }

    #[test]
    fn pair_keys_sort_like_pairs(a in any::<(u64, u64)>(), b in any::<(u64, u64)>()) {
        prop_assert_eq!(pair_key(a.0, a.1).cmp(&pair_key(b.0, b.1)), a.cmp(&b));
        prop_assert_eq!(trailing_id(&pair_key(a.0, a.1)), Some(a.1));
    }

    /// A term's keys sort by id, carry the id, and its exact prefix finds no other term.
    #[test]
    fn term_keys_sort_by_id_and_separate_terms(
        t in "[^\u{0}]{0,8}", u in "[^\u{0}]{0,8}", a in any::<u64>(), b in any::<u64>()
    ) {
        prop_assert_eq!(term_key(&t, a).cmp(&term_key(&t, b)), a.cmp(&b));
        prop_assert_eq!(trailing_id(&term_key(&t, a)), Some(a));
        prop_assert!(term_key(&t, a).starts_with(&exact_prefix(&t)));
        prop_assert_eq!(term_key(&u, b).starts_with(&exact_prefix(&t)), t == u);
    }

    #[test]
    fn lookup_keys_read_back(
        term in vec(any::<u8>(), 0..12),
        alternate in any::<bool>(),
        last_visit in option::of(ts()),
        id in any::<u64>(),
    ) {
        let key = lookup_key(&term, alternate, last_visit, id);
        prop_assert_eq!(
            parse_lookup_key(&key),
            Some(LookupKey { term: &term, alternate, last_visit, id })
        );
    }

    /// Under one term, byte order is rank order, so a prefix scan reads the best first.
    #[test]
    fn lookup_keys_of_a_term_sort_in_rank_order(
        term in "[^\u{0}]{0,6}",
        a in (any::<bool>(), option::of(ts()), any::<u64>()),
        b in (any::<bool>(), option::of(ts()), any::<u64>()),
    ) {
        let ka = lookup_key(term.as_bytes(), a.0, a.1, a.2);
        let kb = lookup_key(term.as_bytes(), b.0, b.1, b.2);
        prop_assert_eq!(ka.cmp(&kb), rank(a.0, a.1, a.2).cmp(&rank(b.0, b.1, b.2)));
        prop_assert!(ka.starts_with(&exact_prefix(&term)));
    }
}

// ---- frames -----------------------------------------------------------------

fn client_msg() -> impl Strategy<Value = ClientMsg> {
    let request = prop_oneof![
        Just(Request::Info),
        (text(), text(), text()).prop_map(|(username, password, desk)| Request::Login {
            username,
            password,
            desk
        }),
        text().prop_map(|t| Request::Logout(SessionToken(t))),
        Just(Request::Snapshot),
    ];
    prop_oneof![
        any::<u32>().prop_map(|protocol_version| ClientMsg::Hello { protocol_version }),
        (any::<u64>(), request).prop_map(|(id, request)| ClientMsg::Request { id, request }),
        Just(ClientMsg::Ping),
    ]
}

fn server_msg() -> impl Strategy<Value = ServerMsg> {
    prop_oneof![
        (any::<u32>(), text()).prop_map(|(protocol_version, server_name)| ServerMsg::Welcome {
            protocol_version,
            server_name
        }),
        any::<u32>().prop_map(|server_version| ServerMsg::VersionMismatch { server_version }),
        (any::<u64>(), text()).prop_map(|(id, t)| ServerMsg::Reply {
            id,
            result: Err(HallError::Conflict(t))
        }),
        Just(ServerMsg::Pong),
    ]
}

/// Hands its bytes out in the given chunk sizes, then reports the end.
struct Chunked {
    bytes: Vec<u8>,
    sizes: Vec<usize>,
}

impl Read for Chunked {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let size = if self.sizes.is_empty() {
            usize::MAX
        } else {
            self.sizes.remove(0)
        };
        let n = size.max(1).min(buf.len()).min(self.bytes.len());
        buf[..n].copy_from_slice(&self.bytes[..n]);
        self.bytes.drain(..n);
        Ok(n)
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Messages written back to back come out whole and in order, however the
    /// stream is split, and the end of the stream is reported as closed.
    #[test]
    fn frames_round_trip_across_any_split(
        client in vec(client_msg(), 1..5),
        server in vec(server_msg(), 1..5),
        sizes in vec(1usize..9, 0..64),
    ) {
        let mut bytes = Vec::new();
        for m in &client {
            bytes.extend(encode_frame(m).unwrap());
        }
        let mut r = FrameReader::new(Chunked { bytes, sizes: sizes.clone() });
        for m in &client {
            prop_assert_eq!(&r.read::<ClientMsg>().unwrap(), m);
        }
        prop_assert!(r.read::<ClientMsg>().is_err());

        let mut bytes = Vec::new();
        for m in &server {
            bytes.extend(encode_frame(m).unwrap());
        }
        let mut r = FrameReader::new(Chunked { bytes, sizes });
        for m in &server {
            prop_assert_eq!(&r.read::<ServerMsg>().unwrap(), m);
        }
    }

    /// Arbitrary bytes from a peer are messages or errors, never a panic.
    #[test]
    fn arbitrary_bytes_are_frames_or_errors(bytes in vec(any::<u8>(), 0..300)) {
        let mut r = FrameReader::new(Chunked { bytes, sizes: vec![] });
        for _ in 0..8 {
            if r.read::<ClientMsg>().is_err() {
                break;
            }
        }
    }
}
