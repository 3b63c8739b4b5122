//! Typed indices into the scenario's tables.
//!
//! Every entity is stored once in a `Vec` of [`crate::model::Scenario`]; the
//! rest of the pipeline refers to it by a small copyable index whose type says
//! which table it points into, so a locality can never be passed where a
//! specialty is expected.

macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u32);

        impl $name {
            /// Position of the entity in its scenario table.
            pub fn index(self) -> usize {
                self.0 as usize
            }

            /// Index for position `i` of a table (tables never exceed `u32`).
            pub fn from_index(i: usize) -> Self {
                Self(u32::try_from(i).expect("scenario tables are far smaller than u32::MAX"))
            }
        }
    };
}

typed_id!(
    /// Index of an [`crate::model::Institution`].
    InstitutionId
);
typed_id!(
    /// Index of a [`crate::model::Specialty`].
    SpecialtyId
);
typed_id!(
    /// Index of a [`crate::model::Locality`].
    LocalityId
);
typed_id!(
    /// Index of a [`crate::model::Road`].
    RoadId
);
typed_id!(
    /// Index of a [`crate::model::Facility`].
    FacilityId
);
typed_id!(
    /// Index of a [`crate::model::Person`]: one human, whatever records they hold.
    PersonId
);
typed_id!(
    /// Index of a [`crate::model::Specialist`] record (one per institution a person works for).
    SpecialistId
);
typed_id!(
    /// Index of an [`crate::model::ExistingVisit`] from an institution's calendar.
    VisitId
);
