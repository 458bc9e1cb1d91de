"""The application-scenario catalog: validated scenarios, feasibility scoring, storage, import and export."""
