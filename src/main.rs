fn main() -> std::process::ExitCode {
    lianfang::allocator::keep_large_blocks_out_of_the_heap();
    lianfang::cli::main()
}
