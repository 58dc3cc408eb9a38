//! The app's event handlers, by kind. [`App::update`](super::app::App::update)
//! dispatches each event to one of them; they change state and queue
//! effects, and never draw (nothing here imports `ui`).

mod checks;
mod files;
mod input;
mod moves;
mod prep;
mod view;
