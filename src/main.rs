// glibc's malloc keeps what each thread freed in per-thread arenas (the server
// runs two threads per desk) and took a fifth of the server's CPU under load;
// mimalloc returns memory and allocates faster. See docs/BENCHMARKS.md.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    lianfang::cli::main()
}
