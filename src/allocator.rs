//! How the process asks the C allocator to behave; called first thing by the
//! binary and by the benchmark, so both measure the same.

/// Each login hashes its password with argon2 in a 19 MiB block. glibc raises
/// its mmap threshold after the first such block is freed, so later ones come
/// from the heap and stay there: twenty desks logging in took the server from
/// 60 MiB to 357 MiB at 2,000 visitors. A fixed threshold (which turns off that
/// adjustment) gives every large block back when it is freed: 53 MiB.
/// See docs/BENCHMARKS.md.
pub fn keep_large_blocks_out_of_the_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets a tuning value; callers run it before starting threads.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}
