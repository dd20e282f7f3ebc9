//! Browser flows of the programme directory: adding an organisation, its
//! needs and staff invitations, applying to mentor, and the directories.
