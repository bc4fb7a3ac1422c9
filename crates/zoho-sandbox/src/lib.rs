//! Local Zoho emulator.
