using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TomAlerts.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PhotometryForcedBesideDetection : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Photometry_TargetId_Source_Bandpass_Timestamp",
                table: "Photometry");

            migrationBuilder.CreateIndex(
                name: "IX_Photometry_TargetId_Source_Bandpass_Timestamp_Kind",
                table: "Photometry",
                columns: new[] { "TargetId", "Source", "Bandpass", "Timestamp", "Kind" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Photometry_TargetId_Source_Bandpass_Timestamp_Kind",
                table: "Photometry");

            migrationBuilder.CreateIndex(
                name: "IX_Photometry_TargetId_Source_Bandpass_Timestamp",
                table: "Photometry",
                columns: new[] { "TargetId", "Source", "Bandpass", "Timestamp" },
                unique: true);
        }
    }
}
