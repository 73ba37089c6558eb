//! The Yew components: one placement per `<cartlift-suggestions>` element, built from
//! suggestion cards with add buttons. One component per file.

mod add_button;
mod placement;
mod suggestion_card;

pub use add_button::{AddButton, AddButtonProps};
pub use placement::{PlacementProps, PlacementView};
pub use suggestion_card::{SuggestionCard, SuggestionCardProps};
