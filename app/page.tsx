export default function Home() {
  return <main>Flagpost</main>;
}
