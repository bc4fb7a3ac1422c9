//! Property tests of the scope validator: whatever is typed or pasted, it answers
//! without a panic, and what it accepts it accepts again unchanged.
//! `PROPTEST_CASES` sets how many cases each runs (see the README).

use proptest::prelude::*;
use zoho_oauth_core::scopes::{catalog, scope_string, validate};

fn catalog_scopes() -> Vec<String> {
    let catalog = catalog();
    catalog
        .products
        .iter()
        .flat_map(|p| p.scopes.iter())
        .chain(&catalog.common)
        .map(|s| s.scope.clone())
        .collect()
}

fn separator() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![",", ", ", " ", "\n", "\r\n", " ,\t"])
}

/// Text shaped like scope lists: pieces of real scopes, dots, separators, noise.
fn scope_like() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        prop::sample::select(catalog_scopes()),
        "[A-Za-z]{1,12}",
        Just(".".to_owned()),
        Just("ALL".to_owned()),
        Just("READ".to_owned()),
        Just("*".to_owned()),
        "[ ,\\n;]{1,3}",
        ".{1,4}",
    ];
    proptest::collection::vec(piece, 0..12).prop_map(|pieces| pieces.concat())
}

mod props {
    use super::*;

    proptest! {
        #[test]
        fn no_input_makes_the_validator_panic(input in prop_oneof![".{0,200}", scope_like()]) {
            match validate(&input) {
                Ok(valid) => prop_assert!(!valid.scopes.is_empty()),
                Err(invalid) => {
                    prop_assert!(!invalid.problems.is_empty());
                    prop_assert!(invalid.problems.iter().all(|p| !p.message.is_empty() && !p.fix.is_empty()));
                }
            }
        }

        #[test]
        fn what_is_accepted_is_accepted_again_unchanged(input in scope_like()) {
            if let Ok(valid) = validate(&input) {
                let again = validate(&valid.scope_string).expect("its own output is valid");
                prop_assert_eq!(&again.scopes, &valid.scopes);
                prop_assert_eq!(&again.scope_string, &valid.scope_string);
                prop_assert!(!valid.scope_string.contains(' '));
            }
        }

        #[test]
        fn a_selection_gives_one_string_whatever_its_order(
            picked in proptest::sample::subsequence(catalog_scopes(), 1..6),
            shuffle in any::<prop::sample::Index>(),
            sep in separator(),
        ) {
            let Ok(forward) = scope_string(&picked) else {
                // Some combinations are refused (a scope and its own duplicate spelling);
                // then the other order must be refused too.
                let mut reversed = picked.clone();
                reversed.reverse();
                prop_assert!(scope_string(&reversed).is_err());
                return Ok(());
            };
            let mut other = picked.clone();
            other.rotate_left(shuffle.index(picked.len()));
            let rotated = scope_string(&other).expect("the same selection");
            prop_assert_eq!(&rotated.scope_string, &forward.scope_string);
            // Typed with any separator, the same list reads the same.
            let typed = validate(&picked.join(sep)).expect("catalog scopes, typed");
            prop_assert_eq!(typed.scopes.len(), picked.len());
        }
    }
}
