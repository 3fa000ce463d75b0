//! `nbtest!`: a test with a fresh, named temporary directory (modelled on ripgrep's
//! `rgtest!`).

/// Defines a `#[test]` that gets a fresh [`crate::util::Dir`] named after the test.
///
/// `nbtest!(name, |dir, layout| { … })` defines a module `name` with one test per output
/// layout, `name::single` and `name::partitioned`, whose body also gets the
/// [`crate::util::Layout`] to build with (`layout.build(…)`): one body, run under both.
macro_rules! nbtest {
    ($name:ident, |$dir:ident| $body:block) => {
        #[test]
        fn $name() {
            #[allow(unused_mut)]
            let mut $dir = crate::util::Dir::new(stringify!($name));
            $body
        }
    };
    ($name:ident, |$dir:ident, $layout:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            fn body($dir: crate::util::Dir, $layout: crate::util::Layout) {
                #[allow(unused_mut)]
                let mut $dir = $dir;
                $body
            }

            #[test]
            fn single() {
                let name = concat!(stringify!($name), "-single");
                body(crate::util::Dir::new(name), crate::util::Layout::Single);
            }

            #[test]
            fn partitioned() {
                let name = concat!(stringify!($name), "-partitioned");
                body(
                    crate::util::Dir::new(name),
                    crate::util::Layout::Partitioned,
                );
            }
        }
    };
}
