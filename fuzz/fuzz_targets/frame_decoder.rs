//! Bytes from a peer: every frame the reader returns re-encodes, and nothing panics.
#![no_main]

use lianfang::net::protocol::{encode_frame, ClientMsg, FrameReader, ServerMsg};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The server reads desks' frames, a desk reads the server's.
    let mut r = FrameReader::new(data);
    while let Ok(msg) = r.read::<ClientMsg>() {
        let again = encode_frame(&msg).expect("a decoded message encodes");
        let mut back = FrameReader::new(again.as_slice());
        assert_eq!(back.read::<ClientMsg>().expect("and decodes again"), msg);
    }
    let mut r = FrameReader::new(data);
    while let Ok(msg) = r.read::<ServerMsg>() {
        let again = encode_frame(&msg).expect("a decoded message encodes");
        let mut back = FrameReader::new(again.as_slice());
        assert_eq!(back.read::<ServerMsg>().expect("and decodes again"), msg);
    }
});
