using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace TomAlerts.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PhotometryFlux : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<double>(
                name: "Flux",
                table: "Photometry",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<double>(
                name: "FluxError",
                table: "Photometry",
                type: "REAL",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "FluxUnit",
                table: "Photometry",
                type: "TEXT",
                maxLength: 50,
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "Flux",
                table: "Photometry");

            migrationBuilder.DropColumn(
                name: "FluxError",
                table: "Photometry");

            migrationBuilder.DropColumn(
                name: "FluxUnit",
                table: "Photometry");
        }
    }
}
