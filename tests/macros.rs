//! `nbtest!`: a test with a fresh, named temporary directory (modelled on ripgrep's
//! `rgtest!`).

/// Defines a `#[test]` that gets a fresh [`crate::util::Dir`] named after the test.
macro_rules! nbtest {
    ($name:ident, |$dir:ident| $body:block) => {
        #[test]
        fn $name() {
            #[allow(unused_mut)]
            let mut $dir = crate::util::Dir::new(stringify!($name));
            $body
        }
    };
}
