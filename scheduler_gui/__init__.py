"""Course Schedule Editor: bulk-edit Pearson LearningStudio item schedules safely."""

__version__ = "0.1.0"
APP_NAME = "Course Schedule Editor"
