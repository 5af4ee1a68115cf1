fn main() -> std::process::ExitCode {
    lianfang::cli::main()
}
