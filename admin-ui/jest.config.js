// Unit tests live in tests/admin-ui/unit/ with the rest of the project's tests, but resolve
// packages from this folder's node_modules (the UI has its own dependencies).
const path = require( 'path' );
const base = require( '@wordpress/scripts/config/jest-unit.config.js' );

module.exports = {
	...base,
	rootDir: __dirname,
	roots: [ path.join( __dirname, '..', 'tests', 'admin-ui', 'unit' ) ],
	testMatch: [ '**/*.test.js' ],
	moduleDirectories: [ 'node_modules', path.join( __dirname, 'node_modules' ) ],
	// The /wp entry is an ES module bundle meant for webpack; jest loads the CommonJS build. The
	// preset's style mock is merged in by jest.
	moduleNameMapper: { '^@wordpress/dataviews/wp$': '@wordpress/dataviews' },
	// A few of @wordpress/components' dependencies ship only ES modules; babel compiles them.
	transform: { ...base.transform, '\\.mjs$': base.transform[ '\\.[jt]sx?$' ] },
	transformIgnorePatterns: [ '/node_modules/(?!(uuid|@wordpress/theme|@wordpress/ui)/)' ],
	setupFilesAfterEnv: [ ...( base.setupFilesAfterEnv ?? [] ), '@testing-library/jest-dom' ],
	reporters: [ 'default' ],
};
