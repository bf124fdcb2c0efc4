using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TomAlerts.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PhotometryKindSurvey : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "Survey",
                table: "TargetNames",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Kind",
                table: "Photometry",
                type: "TEXT",
                maxLength: 16,
                nullable: false,
                defaultValue: "Detection");

            migrationBuilder.AddColumn<string>(
                name: "OtherSources",
                table: "Photometry",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SourceId",
                table: "Photometry",
                type: "TEXT",
                maxLength: 50,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Survey",
                table: "Photometry",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            // Rows stored before kinds had only a magnitude (a detection) or only a limit.
            migrationBuilder.Sql("UPDATE \"Photometry\" SET \"Kind\" = 'Limit' WHERE \"Magnitude\" IS NULL;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Survey",
                table: "TargetNames");

            migrationBuilder.DropColumn(
                name: "Kind",
                table: "Photometry");

            migrationBuilder.DropColumn(
                name: "OtherSources",
                table: "Photometry");

            migrationBuilder.DropColumn(
                name: "SourceId",
                table: "Photometry");

            migrationBuilder.DropColumn(
                name: "Survey",
                table: "Photometry");
        }
    }
}
