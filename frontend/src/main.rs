//! Entry point of the wasm app: installs the panic hook and mounts `<App/>`.

mod api;
mod app;
mod auth;
mod chat;
mod components;
mod glossary;
mod network_layout;
mod notifications;
mod page_load;
mod pages;
mod ws;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
