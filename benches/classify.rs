//! Benchmarks of the one-pass classifier.

fn main() {
    divan::main();
}
